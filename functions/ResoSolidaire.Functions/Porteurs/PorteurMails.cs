namespace ResoSolidaire.Functions.Porteurs;

/// <summary>The acknowledgement to the porteur de projet and the notification to staff.</summary>
public sealed class PorteurMails(IOptions<FormsOptions> forms, IOptions<MailOptions> mail)
{
    public const string OutsideTerritoryNotice =
        "Réso Solidaire accompagne les projets du Pays de Rennes (Rennes Métropole, Val d'Ille-Aubigné, Liffré-Cormier et Pays de Châteaugiron). "
        + "Votre commune se trouve en dehors de ce territoire : nous lirons tout de même votre demande et vous orienterons vers une structure partenaire proche de chez vous.";

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static string AcknowledgementKey(string reference) => $"{PorteurForm.Name}/{reference}/accuse";

    public static string StaffKey(string reference) => $"{PorteurForm.Name}/{reference}/equipe";

    /// <summary>Names the reference and what was received, without repeating the free text (see ContactMails).</summary>
    public static OutgoingMail Acknowledgement(PorteurEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var intake = entity.ToIntake();
        var subject = $"Votre projet a bien été reçu ({entity.Reference})";
        var builder = new FormMail()
            .Paragraph($"Bonjour {intake.FirstName} {intake.LastName},")
            .Paragraph($"Merci d'avoir présenté votre projet à Réso Solidaire. Votre demande est enregistrée sous la référence {entity.Reference} : rappelez-la si vous nous écrivez.");
        if (!entity.InPaysDeRennes)
        {
            builder.Paragraph(OutsideTerritoryNotice);
        }
        else
        {
            builder.Paragraph("Un membre de l'équipe vous contactera dans les prochains jours pour un premier rendez-vous d'accueil.");
        }

        builder.Field("Référence", entity.Reference)
            .Field("Commune", entity.CommuneName)
            .Field("Stade du projet", intake.StageLabel)
            .Field("Pièces jointes reçues", entity.AttachmentCount.ToString(CultureInfo.InvariantCulture))
            .Paragraph("Vous recevez ce message parce que cette adresse a été saisie dans le formulaire « porteur de projet » du site de Réso Solidaire. Si ce n'est pas vous, ignorez-le.")
            .Paragraph("À bientôt,\nL'équipe de Réso Solidaire");
        var (html, text) = builder.Build(subject);
        return new OutgoingMail([intake.Email], subject, html, text) { Kind = "porteur-accuse" };
    }

    public OutgoingMail StaffNotification(PorteurEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var intake = entity.ToIntake();
        var territory = entity.InPaysDeRennes ? "Pays de Rennes" : "HORS TERRITOIRE : à orienter vers un partenaire proche";
        var subject = entity.InPaysDeRennes
            ? $"[Porteur de projet] {entity.Reference} – {intake.StageLabel}"
            : $"[Porteur de projet] {entity.Reference} – hors territoire";
        var builder = new FormMail()
            .Paragraph($"Nouvelle demande d'accompagnement reçue par le site, référence {entity.Reference}.")
            .Field("Référence", entity.Reference)
            .Field("Reçue le", TimeZoneInfo.ConvertTime(entity.CreatedAt, Paris).ToString("dddd d MMMM yyyy 'à' HH'h'mm", French))
            .Field("Territoire", territory)
            .Field("Prénom et nom", $"{intake.FirstName} {intake.LastName}")
            .Field("Adresse e-mail", intake.Email)
            .Field("Téléphone", FieldRules.PhoneForPeople(intake.Phone))
            .Field("Commune", $"{entity.CommuneName} ({entity.CommuneInsee}{(entity.PostalCode is null ? "" : ", " + entity.PostalCode)})")
            .Field("Titre du projet", intake.ProjectTitle)
            .Field("Secteur", intake.SectorLabel)
            .Field("Stade", intake.StageLabel)
            .Field("Statut envisagé", intake.LegalStatusLabel)
            .Field("Besoins", string.Join(", ", intake.NeedLabels))
            .Field("Nous a connus par", intake.HeardFrom)
            .Field("Consentement", $"donné (texte {entity.ConsentTextVersion})")
            .Heading("Description du projet")
            .Paragraph(intake.ProjectDescription);
        var attachments = entity.AttachmentRecords();
        if (attachments.Count > 0)
        {
            builder.Heading("Pièces jointes (conteneur privé « " + AttachmentStore.ContainerName + " »)")
                .List(attachments.Select(a => $"{a.Name} ({SizeLabel(a.Size)}) : {a.Blob}"));
        }

        var (html, text) = builder.Build(subject);
        return new OutgoingMail(Recipients(), subject, html, text) { Kind = "porteur-equipe", ReplyTo = intake.Email, About = [intake.Email] };
    }

    private static string SizeLabel(long bytes) => bytes < 1_048_576
        ? string.Create(French, $"{Math.Max(1, bytes / 1024)} Ko")
        : string.Create(French, $"{bytes / 1048576.0:0.#} Mo");

    internal IReadOnlyList<string> Recipients()
    {
        var list = MailOptions.SplitAddresses(forms.Value.PorteursRecipients);
        return list.Count > 0 ? list : mail.Value.StaffRecipientList;
    }
}
