using System.Text.Json;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Platform.Forms;

namespace ResoSolidaire.Functions.Tests.Contact;

public class ContactMessageValidationTests
{
    internal static ContactRequest Valid() => new()
    {
        Name = "Camille Martin",
        Email = "camille.martin@exemple.fr",
        Organisation = "Les Vélos Solidaires",
        Phone = "06 12 34 56 78",
        Topic = "adhesion",
        Message = "Bonjour, notre association souhaite adhérer au réseau.",
        Consent = true,
    };

    [Fact]
    public void AValidMessageIsNormalised()
    {
        var errors = new FieldErrors();

        var message = ContactMessage.Validate(Valid() with { Email = " Camille.Martin@EXEMPLE.fr " }, errors);

        Assert.False(errors.Any);
        Assert.Equal("Camille.Martin@exemple.fr", message!.Email);
        Assert.Equal("+33612345678", message.Phone);
        Assert.Equal("Adhésion", message.TopicLabel);
    }

    [Fact]
    public void EveryMissingRequiredFieldIsReportedAtOnce()
    {
        var errors = new FieldErrors();

        Assert.Null(ContactMessage.Validate(new ContactRequest(), errors));

        Assert.Equal(["consent", "email", "message", "name", "topic"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnUnknownTopicIsRefusedWithTheListOfTopics()
    {
        var errors = new FieldErrors();

        ContactMessage.Validate(Valid() with { Topic = "spam" }, errors);

        Assert.Contains("Orientation étudiant", Assert.Single(errors.ToDictionary()["topic"]), StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageWithoutConsentIsRefused()
    {
        var errors = new FieldErrors();

        ContactMessage.Validate(Valid() with { Consent = false }, errors);

        Assert.Equal(["consent"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void JsonWithAnUnknownPropertyIsRefusedNamingTheProperty()
    {
        var errors = new FieldErrors();
        using var json = JsonDocument.Parse("""{"name":"Camille","isAdmin":true}""");

        Assert.Null(FormBodyReader.BindJson<ContactRequest>(json.RootElement, errors));

        Assert.Equal("Ce champ n'est pas attendu.", Assert.Single(errors.ToDictionary()["isAdmin"]));
    }

    [Fact]
    public void JsonWithAValueOfTheWrongTypeIsRefusedOnThatField()
    {
        var errors = new FieldErrors();
        using var json = JsonDocument.Parse("""{"name":"Camille","consent":"oui"}""");

        Assert.Null(FormBodyReader.BindJson<ContactRequest>(json.RootElement, errors));

        Assert.True(errors.Has("consent"));
    }
}
