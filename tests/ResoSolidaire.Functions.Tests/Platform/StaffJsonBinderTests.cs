using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using ResoSolidaire.Functions.Platform.Http;

namespace ResoSolidaire.Functions.Tests.Platform;

/// <summary>The one binder of staff JSON bodies: every refusal is French and names the JSON path at fault.</summary>
public sealed class StaffJsonBinderTests
{
    public sealed record Item(string? Title, string? Text);

    public sealed record Sample(string? Name, int? Count, bool? Active, DateOnly? Day, IReadOnlyList<Item>? News, Item? Lead = null);

    private static JsonBody<Sample> Bind(string json) => StaffJsonBinder.Bind<Sample>(Encoding.UTF8.GetBytes(json));

    private static Dictionary<string, string[]> ErrorsOf(ProblemHttpResult? problem)
    {
        Assert.NotNull(problem);
        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        Assert.Equal("Certaines informations sont manquantes ou invalides.", problem.ProblemDetails.Title);
        return new(Assert.IsType<HttpValidationProblemDetails>(problem.ProblemDetails).Errors, StringComparer.Ordinal);
    }

    private static HttpRequest Request(string? contentType, byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        return context.Request;
    }

    [Fact]
    public void AValidBodyIsBoundWhateverTheCaseOfItsNames()
    {
        var body = Bind("""{"Name":"Lettre de mars","count":"3","active":true,"day":"2026-03-14","news":[{"title":"Forum","text":"Le 14."}]}""");

        Assert.False(body.IsRefused);
        Assert.Equal(new Sample("Lettre de mars", 3, true, new DateOnly(2026, 3, 14), body.Value.News), body.Value);
        Assert.Equal(new Item("Forum", "Le 14."), Assert.Single(body.Value.News!));
    }

    [Fact]
    public void AnUnknownNestedPropertyIsNamedByItsPathWithThePropertiesExpectedThere()
    {
        var body = Bind("""{"name":"Lettre","news":[{"title":"Forum","text":"Le 14."},{"title":"Atelier","body":"Le 20."}]}""");

        var errors = ErrorsOf(body.Problem);
        Assert.Equal("Propriété inconnue. Propriétés attendues ici : title, text.", Assert.Single(Assert.Single(errors, e => e.Key == "news[1].body").Value));
        Assert.Single(errors);
    }

    [Fact]
    public void EveryUnknownOrMistypedPropertyIsListedInOneAnswer()
    {
        var errors = ErrorsOf(Bind("""{"nmae":"Lettre","count":true,"lead":{"titre":"x"},"news":[{"title":5}]}""").Problem);

        Assert.Equal(["nmae", "count", "lead.titre", "news[0].title"], errors.Keys);
        Assert.Equal("Doit être un nombre.", Assert.Single(errors["count"]));
        Assert.Equal("Doit être un texte.", Assert.Single(errors["news[0].title"]));
    }

    [Theory]
    [InlineData("""{"name":12}""", "name", "Doit être un texte.")]
    [InlineData("""{"count":"douze"}""", "count", "Doit être un nombre.")]
    [InlineData("""{"count":[1]}""", "count", "Doit être un nombre.")]
    [InlineData("""{"active":"oui"}""", "active", "Doit être true ou false.")]
    [InlineData("""{"day":"14/03/2026"}""", "day", "Doit être une date au format AAAA-MM-JJ.")]
    [InlineData("""{"news":{"title":"Forum"}}""", "news", "Doit être une liste (tableau JSON).")]
    [InlineData("""{"news":["Forum"]}""", "news[0]", "Doit être un objet JSON.")]
    [InlineData("""{"lead":"Forum"}""", "lead", "Doit être un objet JSON.")]
    public void AValueOfTheWrongTypeIsNamedWithTheTypeExpectedInFrench(string json, string path, string message)
    {
        var errors = ErrorsOf(Bind(json).Problem);

        Assert.Equal(message, Assert.Single(Assert.Single(errors, e => e.Key == path).Value));
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("""{"name": }""", "ligne 1, position 10")]
    [InlineData("{\n  \"name\": \"Lettre\",\n}", "ligne 3, position 1")]
    [InlineData("""{"name":"Lettre"} {}""", "ligne 1, position 19")]
    public void MalformedJsonIsRefusedWithItsPositionAndNoEnglish(string json, string position)
    {
        var message = Assert.Single(Assert.Single(ErrorsOf(Bind(json).Problem), e => e.Key == "corps").Value);

        Assert.Equal($"Le corps n'est pas un document JSON valide ({position}) : vérifiez les guillemets, virgules, accolades et crochets, et l'encodage UTF-8.", message);
    }

    [Fact]
    public void InvalidUtf8IsRefusedAsSuch()
    {
        var body = StaffJsonBinder.Bind<Sample>([.. "{\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8]);

        Assert.Equal("Le corps n'est pas du texte UTF-8 valide : envoyez le JSON encodé en UTF-8.", Assert.Single(ErrorsOf(body.Problem)["corps"]));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"Lettre\"")]
    public void ABodyThatIsNoObjectIsRefused(string json) =>
        Assert.Equal("Doit être un objet JSON.", Assert.Single(ErrorsOf(Bind(json).Problem)["corps"]));

    [Fact]
    public async Task AnEmptyBodyIsRefusedInFrench()
    {
        var body = await StaffJsonBinder.ReadAsync<Sample>(Request("application/json", []));

        Assert.Equal("Le corps de la requête est vide : un objet JSON est attendu.", Assert.Single(ErrorsOf(body.Problem)["corps"]));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task ABodyNotSentAsJsonIsRefusedWith415EvenWhenItParses(string? contentType)
    {
        var body = await StaffJsonBinder.ReadAsync<Sample>(Request(contentType, """{"name":"Lettre"}"""u8.ToArray()));

        Assert.True(body.IsRefused);
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, body.Problem.StatusCode);
        Assert.Equal("Le corps de la requête doit être envoyé en JSON.", body.Problem.ProblemDetails.Title);
    }

    [Fact]
    public async Task AJsonMediaTypeWithACharsetIsRead()
    {
        var body = await StaffJsonBinder.ReadAsync<Sample>(Request("application/json; charset=utf-8", """{"name":"Lettre"}"""u8.ToArray()));

        Assert.Equal("Lettre", body.Value?.Name);
    }

    [Fact]
    public async Task ABodyOverTheCapIsRefusedWith413WithoutBeingBound()
    {
        var json = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('a', StaffJsonBinder.MaxBodyBytes) + "\"}");
        var request = Request("application/json", json);

        var body = await StaffJsonBinder.ReadAsync<Sample>(request);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, body.Problem?.StatusCode);
        Assert.Equal("La requête est trop volumineuse.", body.Problem!.ProblemDetails.Title);
        Assert.True(request.Body.Position <= StaffJsonBinder.MaxBodyBytes + 16_384, "The body was read past its cap.");
    }

    [Fact]
    public void AnInvisibleOrOverlongUnknownNameIsEchoedHarmlessly()
    {
        var errors = ErrorsOf(Bind("{\"\\u202eadmin\":1,\"" + new string('x', 200) + "\":2}").Problem);

        Assert.Contains("?admin", errors.Keys);
        Assert.Contains(new string('x', 64) + "…", errors.Keys);
    }
}
