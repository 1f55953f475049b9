using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Tests.Newsletter;

public class EditionRendererTests
{
    private static EditionContent Content(string intro = "Bonjour **à tous**, voici [le site](https://reso.example/).") => new(
        "lettre-1",
        "La lettre de juillet",
        intro,
        [new NewsItem("Assemblée générale", "Le *12 juin*, à la Maison de l'ESS.", "https://reso.example/ag")],
        [new Spotlight("0123456789abcdef", "Les Vélos <Solidaires> & Cie", "Association", "Saint-Jacques-de-la-Lande", "https://velos.example/", "Atelier de réparation participatif.")],
        [new AgendaLine("Forum de l'ESS", new DateOnly(2026, 7, 14), "18:30", "Le Tambour", "Rennes", "Réso Solidaire", null)]);

    [Fact]
    public void MarkdownBecomesHtmlWithInlineStyles()
    {
        var html = new EditionRenderer().Render(Content(), "https://archive.example/1").Html;

        Assert.Contains("<strong>à tous</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<a style=\"color:#7a1f5c;\" href=\"https://reso.example/\">le site</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
    }

    [Fact]
    public void RawHtmlAndScriptsInTheIntroNeverReachTheMail()
    {
        var html = new EditionRenderer().Render(Content("<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"), "https://a.example/").Html;

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheAgendaIsDatedInFrench()
    {
        var rendered = new EditionRenderer().Render(Content(), "https://a.example/");

        Assert.Contains("mardi 14 juillet à 18 h 30", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("mardi 14 juillet à 18 h 30 : Forum de l'ESS (Le Tambour, Rennes", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void BothPartsCarryThePersonalLinksPlaceholders()
    {
        var rendered = new EditionRenderer().Render(Content(), "https://a.example/");

        foreach (var part in new[] { rendered.Html, rendered.Text })
        {
            Assert.Contains(RenderedEdition.UnsubscribeTag, part, StringComparison.Ordinal);
            Assert.Contains(RenderedEdition.PreferencesTag, part, StringComparison.Ordinal);
        }

        Assert.Contains("Me désinscrire", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("ASSEMBLÉE GÉNÉRALE", rendered.Text.ToUpperInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheWebVersionHasNoPersonalLink()
    {
        var web = new EditionRenderer().Render(Content(), "https://a.example/").ForWeb("https://a.example/archive");

        Assert.DoesNotContain(RenderedEdition.UnsubscribeTag, web.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(RenderedEdition.PreferencesTag, web.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SubjectAndNewsTitlesAreHtmlEncoded()
    {
        var content = Content() with { Subject = "Fête <b>& jeux</b>" };

        var html = new EditionRenderer().Render(content, "https://a.example/").Html;

        Assert.Contains("Fête &lt;b&gt;&amp; jeux&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ASpotlitStructureShowsItsEncodedNameKindCommuneAndWebsite()
    {
        var rendered = new EditionRenderer().Render(Content(), "https://a.example/");

        Assert.Contains("Les Vélos &lt;Solidaires&gt; &amp; Cie</h3>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Association à Saint-Jacques-de-la-Lande", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://velos.example/\"", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("* Les Vélos <Solidaires> & Cie (Association à Saint-Jacques-de-la-Lande)", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AWebsiteThatIsNotHttpIsNotLinked()
    {
        var content = Content() with { Spotlight = [new Spotlight("0123456789abcdef", "Atelier", "Association", null, "javascript:alert(1)", "Texte.")] };

        var html = new EditionRenderer().Render(content, "https://a.example/").Html;

        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Découvrir la structure", html, StringComparison.Ordinal);
    }
}
