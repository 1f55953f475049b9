namespace ResoSolidaire.Functions.Contact;

/// <summary>A contact message that passed every check, its values normalised.</summary>
public sealed record ContactMessage(
    string Name,
    string Email,
    string? Organisation,
    string? Phone,
    string Topic,
    string Message,
    bool Newsletter)
{
    public string TopicLabel => ContactForm.Topics[Topic];

    /// <summary>Checks a request field by field; null with French errors when anything is wrong.</summary>
    public static ContactMessage? Validate(ContactRequest request, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var name = FieldRules.Required(errors, "name", request.Name, 100, "Le nom");
        var email = FieldRules.Email(errors, "email", request.Email);
        var organisation = FieldRules.Optional(errors, "organisation", request.Organisation, 150);
        var phone = FieldRules.Phone(errors, "phone", request.Phone, required: false);
        var topic = FieldRules.Choice(errors, "topic", request.Topic, ContactForm.Topics, "Le sujet");
        var message = FieldRules.Required(errors, "message", request.Message, 5000, "Le message", minLength: 10, multiline: true);
        if (!request.Consent)
        {
            errors.Add("consent", "Merci d'accepter que Réso Solidaire utilise ces informations pour vous répondre.");
        }

        return errors.Any ? null : new ContactMessage(name, email, organisation, phone, topic!, message, request.Newsletter);
    }

    /// <summary>The parts that make two posts "the same message".</summary>
    public IEnumerable<string?> FingerprintParts() => [Name, Email, Organisation, Phone, Topic, Message, Newsletter ? "1" : "0"];
}
