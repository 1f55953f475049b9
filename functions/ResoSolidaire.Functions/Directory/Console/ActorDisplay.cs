using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory.Console;

/// <summary>An actor's fields as a person reads them, under the names <see cref="ActorMapping.Differences"/> gives them.</summary>
public static class ActorDisplay
{
    public static IReadOnlyList<(string Field, string Value)> Fields(ActorEntity actor, DirectoryVocabularies vocabulary)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(vocabulary);
        static string List(IEnumerable<string> values) => values.ToList() is { Count: > 0 } list ? string.Join(" ; ", list) : "—";
        var consent = ActorMapping.ConsentOf(actor);
        return
        [
            ("nom", actor.Name),
            ("type", vocabulary.Kinds.Label(actor.Kind)),
            ("statut juridique", actor.LegalStatus ?? "—"),
            ("SIRET", actor.Siret is null ? "—" : Siret.Format(actor.Siret)),
            ("secteurs", List(ActorEntity.SplitList(actor.Sectors).Select(vocabulary.Sectors.Label))),
            ("commune", actor.CommuneName ?? "—"),
            ("quartier", actor.Quartier is null ? "—" : Quartiers.Find(actor.Quartier)?.Name ?? actor.Quartier),
            ("adresse", actor.Address ?? "—"),
            ("code postal", actor.PostalCode ?? "—"),
            ("e-mails", List(ActorEntity.SplitList(actor.Emails))),
            ("téléphones", List(ActorEntity.SplitList(actor.Phones))),
            ("site web", actor.Website ?? "—"),
            ("étiquettes", List(ActorEntity.SplitList(actor.Tags))),
            ("newsletter", actor.Newsletter ? "oui" : "non"),
            ("consentement", consent is null ? "—" : $"{consent.Date}, {consent.Source}, texte {consent.TextVersion}"),
            ("notes", actor.Notes ?? "—"),
        ];
    }

    /// <summary>« Nom », « Statut juridique »: a field's name at the head of a line.</summary>
    public static string Capitalised(string field) => field.Length == 0 ? field : char.ToUpper(field[0], CultureInfo.GetCultureInfo("fr-FR")) + field[1..];
}
