namespace ResoSolidaire.Functions.Contact;

/// <summary>The acknowledgement to the sender and the notification to staff of a contact message.</summary>
public sealed class ContactMails(IOptions<FormsOptions> forms, IOptions<MailOptions> mail)
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static string AcknowledgementKey(string reference) => $"{ContactForm.Name}/{reference}/accuse";

    public static string StaffKey(string reference) => $"{ContactForm.Name}/{reference}/equipe";

    /// <summary>
    /// The sender's copy names the reference and the topic but does not repeat the message: a form that
    /// mails back what it was given can be used to send anything to anyone.
    /// </summary>
    public static OutgoingMail Acknowledgement(ContactMessageEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var message = entity.ToMessage();
        var subject = $"Nous avons bien reçu votre message ({entity.Reference})";
        var (html, text) = new FormMail()
            .Paragraph($"Bonjour {message.Name},")
            .Paragraph($"Merci d'avoir écrit à Réso Solidaire. Nous avons bien reçu votre message sur le sujet « {message.TopicLabel} », enregistré sous la référence {entity.Reference}.")
            .Paragraph("Un membre de l'équipe vous répondra dans les meilleurs délais, en général sous cinq jours ouvrés.")
            .Paragraph("Vous recevez ce message parce que cette adresse a été saisie dans le formulaire de contact du site de Réso Solidaire. Si ce n'est pas vous, ignorez-le : vous ne recevrez rien d'autre.")
            .Paragraph("À bientôt,\nL'équipe de Réso Solidaire")
            .Build(subject);
        return new OutgoingMail([message.Email], subject, html, text) { Kind = "contact-accuse" };
    }

    public OutgoingMail StaffNotification(ContactMessageEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var message = entity.ToMessage();
        var subject = $"[Contact] {message.TopicLabel} – {entity.Reference}";
        var (html, text) = new FormMail()
            .Paragraph($"Nouveau message reçu par le formulaire de contact, référence {entity.Reference}.")
            .Field("Référence", entity.Reference)
            .Field("Reçu le", TimeZoneInfo.ConvertTime(entity.CreatedAt, Paris).ToString("dddd d MMMM yyyy 'à' HH'h'mm", French))
            .Field("Sujet", message.TopicLabel)
            .Field("Nom", message.Name)
            .Field("Adresse e-mail", message.Email)
            .Field("Structure", message.Organisation)
            .Field("Téléphone", FieldRules.PhoneForPeople(message.Phone))
            .Field("Lettre d'information", message.Newsletter ? "souhaite la recevoir" : "non")
            .Field("Consentement", $"donné (texte {entity.ConsentTextVersion})")
            .Heading("Message")
            .Paragraph(message.Message)
            .Build(subject);
        return new OutgoingMail(Recipients(message.Topic), subject, html, text) { Kind = "contact-equipe", ReplyTo = message.Email, About = [message.Email] };
    }

    internal IReadOnlyList<string> Recipients(string topic)
    {
        var options = forms.Value;
        var configured = options.TopicRecipients.TryGetValue(topic, out var byTopic) && !string.IsNullOrWhiteSpace(byTopic)
            ? byTopic
            : options.ContactRecipients;
        var list = MailOptions.SplitAddresses(configured);
        return list.Count > 0 ? list : mail.Value.StaffRecipientList;
    }
}
