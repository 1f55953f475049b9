using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Platform.Forms;

namespace ResoSolidaire.Functions.Tests.Forms;

public class FormResponderTests
{
    private static readonly FormResponder Responder = new(Options.Create(new FormsOptions
    {
        ThankYouUrl = new Uri("https://www.reso-solidaire.example/merci.html"),
        AllowedRedirectOrigins = "https://www.reso-solidaire.example, http://localhost:8080",
        ClientHashKey = new string('k', 32),
    }));

    private static HttpRequest Post(string? accept = null, string? referer = null)
    {
        var context = new DefaultHttpContext();
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        if (referer is not null)
        {
            context.Request.Headers.Referer = referer;
        }

        return context.Request;
    }

    private static readonly FormResult Accepted = FormResult.Accepted(new SubmissionReceipt("CT-2026-0007", "Merci !"));

    [Fact]
    public void APlainFormPostIsSentToTheThankYouPageItAskedFor()
    {
        var result = Responder.Respond(Post(), Accepted with { Kind = BodyKind.UrlEncoded, Redirect = "http://localhost:8080/merci.html?x=1" }, "contact", ContactForm.Labels);

        var seeOther = Assert.IsType<SeeOtherHttpResult>(result.Result);
        Assert.Equal("http://localhost:8080/merci.html?x=1&formulaire=contact&reference=CT-2026-0007", seeOther.Location.AbsoluteUri);
    }

    [Fact]
    public void ARedirectToAnotherOriginIsIgnoredForTheConfiguredThankYouPage()
    {
        var result = Responder.Respond(Post(), Accepted with { Kind = BodyKind.UrlEncoded, Redirect = "https://evil.example/phish" }, "contact", ContactForm.Labels);

        Assert.StartsWith("https://www.reso-solidaire.example/merci.html?", Assert.IsType<SeeOtherHttpResult>(result.Result).Location.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void AScriptPostingAFormAndAskingForJsonGetsJson()
    {
        var result = Responder.Respond(Post(accept: "application/json"), Accepted with { Kind = BodyKind.Multipart }, "porteur", ContactForm.Labels);

        Assert.Equal("CT-2026-0007", Assert.IsType<Created<SubmissionReceipt>>(result.Result).Value!.Reference);
    }

    [Fact]
    public void APendingSubmissionPostedPlainlyGoesToTheThankYouPageWithoutAReference()
    {
        var pending = FormResult.Waiting(new PendingReceipt(null, "Merci !")) with { Kind = BodyKind.UrlEncoded };

        var result = Responder.Respond(Post(), pending, "newsletter", ContactForm.Labels);

        Assert.Equal("https://www.reso-solidaire.example/merci.html?formulaire=newsletter", Assert.IsType<SeeOtherHttpResult>(result.Result).Location.AbsoluteUri);
    }

    [Fact]
    public void APendingSubmissionPostedByAScriptIsAcceptedWithItsMessage()
    {
        var pending = FormResult.Waiting(new PendingReceipt("20261202-abcd", "Merci !")) with { Kind = BodyKind.Json };

        var result = Responder.Respond(Post(), pending, "agenda", ContactForm.Labels);

        var accepted = Assert.IsType<Accepted<PendingReceipt>>(result.Result);
        Assert.Equal(StatusCodes.Status202Accepted, accepted.StatusCode);
        Assert.Equal("20261202-abcd", accepted.Value!.Id);
    }

    [Fact]
    public void ErrorsOfAPlainFormPostAreListedOnAFrenchPageWithABackLink()
    {
        var errors = new FieldErrors();
        errors.Add("email", "L'adresse <e-mail> n'est pas valide.");
        var rejected = FormResult.Rejected(FormRejection.Invalid(errors)) with { Kind = BodyKind.UrlEncoded };

        var result = Responder.Respond(Post(referer: "http://localhost:8080/contact.html"), rejected, "contact", ContactForm.Labels);

        var page = Assert.IsType<ContentHttpResult>(result.Result);
        Assert.Equal(StatusCodes.Status400BadRequest, page.StatusCode);
        Assert.StartsWith("text/html", page.ContentType, StringComparison.Ordinal);
        Assert.Contains("<strong>Adresse e-mail</strong> : L&#x27;adresse &lt;e-mail&gt; n&#x27;est pas valide.", page.ResponseContent, StringComparison.Ordinal);
        Assert.Contains("href=\"http://localhost:8080/contact.html\"", page.ResponseContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ARateLimitedClientIsToldWhenToComeBack()
    {
        var request = Post();

        var result = Responder.Respond(request, FormResult.Rejected(FormRejection.RateLimited(TimeSpan.FromSeconds(90))) with { Kind = BodyKind.Json }, "contact", ContactForm.Labels);

        Assert.Equal("90", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Equal(StatusCodes.Status429TooManyRequests, Assert.IsType<ProblemHttpResult>(result.Result).StatusCode);
    }
}
