using System.Security.Cryptography;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>What the offer form posts (JSON, or form fields of the same names with photos in multipart). <c>Website</c> is the honeypot.</summary>
public sealed record RoomOfferPost(
    string? Structure,
    string? Name,
    string? Kind,
    int? Capacity,
    IReadOnlyList<string>? Equipment,
    bool? Accessible,
    string? Address,
    string? Commune,
    string? PostalCode,
    string? Conditions,
    string? Price,
    string? Description,
    string? Monday,
    string? Tuesday,
    string? Wednesday,
    string? Thursday,
    string? Friday,
    string? Saturday,
    string? Sunday,
    string? ClosedPeriods,
    string? ContactName,
    string? ContactEmail,
    string? ContactPhone,
    bool? Consent,
    string? Website);

/// <summary>An offer that passed its checks: the room (pending) and its photos, recognised by their content.</summary>
public sealed record RoomOffer(RoomEntity Room, IReadOnlyList<PhotoUpload> Photos);

/// <summary>A photo to store: PNG or JPEG by its first bytes.</summary>
public sealed record PhotoUpload(SniffedType Type, byte[] Content);

/// <summary>
/// The public form by which a structure offers a room, as <see cref="FormPipeline"/> runs it. The room is kept
/// as pending and the team is told; it is published once staff have moderated it and linked it to its
/// structure in the directory (hence 202).
/// </summary>
public sealed class RoomOfferForm(RoomCatalog catalog, CommuneDirectory communes, IOptions<FormsOptions> forms, TimeProvider time) : IPublicForm<RoomOfferPost, RoomOffer>
{
    internal const string Thanks = "Merci ! Votre salle a bien été proposée. L'équipe de Réso Solidaire la relira avant de la publier ; vous recevrez un courriel dans les deux cas.";

    public string Name => "salle";

    public bool TakesFiles => true;

    public IReadOnlyDictionary<string, string> Labels => RoomFields.Labels;

    public RoomOfferPost FromFields(FormBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new RoomOfferPost(
            body.Field("structure"), body.Field("name"), body.Field("kind"),
            int.TryParse(body.Field("capacity"), NumberStyles.None, CultureInfo.InvariantCulture, out var capacity) ? capacity : null,
            body.Values("equipment"), body.Checked("accessible"), body.Field("address"), body.Field("commune"), body.Field("postalCode"),
            body.Field("conditions"), body.Field("price"), body.Field("description"),
            body.Field("monday"), body.Field("tuesday"), body.Field("wednesday"), body.Field("thursday"), body.Field("friday"), body.Field("saturday"), body.Field("sunday"),
            body.Field("closedPeriods"), body.Field("contactName"), body.Field("contactEmail"), body.Field("contactPhone"),
            body.Checked("consent"), body.Field(Honeypot.Field));
    }

    public string? HoneypotOf(RoomOfferPost posted) => posted?.Website;

    public FormResult Decoy() => FormResult.Waiting(new PendingReceipt(RandomNumberGenerator.GetHexString(16, lowercase: true), Thanks));

    public FormCheck<RoomOffer> Check(RoomOfferPost posted, FormBody body, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        var photos = new List<PhotoUpload>();
        for (var i = 0; i < body.Files.Count; i++)
        {
            var file = body.Files[i];
            var type = FileSniffer.Sniff(file.Content);
            if (type != FileSniffer.Png && type != FileSniffer.Jpeg)
            {
                return new(null, FormRejection.UnsupportedFile(
                    "photos",
                    $"Le fichier {FormBodyReader.FileLabel(file.FileName, i + 1)} n'est pas une photo PNG ou JPEG (son contenu a été vérifié, pas seulement son nom)."));
            }

            photos.Add(new PhotoUpload(type, file.Content));
        }

        if (body.FilesOverLimit > 0)
        {
            errors.Add("photos", $"Vous pouvez joindre {forms.Value.MaxFiles} photos au plus ({photos.Count + body.FilesOverLimit} envoyées).");
        }

        // A form post's capacity is checked as typed (« douze » is an error, not an absent value).
        var capacity = body.Kind == BodyKind.Json ? posted.Capacity?.ToString(CultureInfo.InvariantCulture) : body.Field("capacity");
        var input = new RoomInput(
            posted.Structure, posted.Name, posted.Kind, capacity, posted.Equipment ?? [], posted.Accessible == true, posted.Address, posted.Commune, posted.PostalCode,
            posted.Conditions, posted.Price, posted.Description,
            new Dictionary<DayOfWeek, string?>
            {
                [DayOfWeek.Monday] = posted.Monday,
                [DayOfWeek.Tuesday] = posted.Tuesday,
                [DayOfWeek.Wednesday] = posted.Wednesday,
                [DayOfWeek.Thursday] = posted.Thursday,
                [DayOfWeek.Friday] = posted.Friday,
                [DayOfWeek.Saturday] = posted.Saturday,
                [DayOfWeek.Sunday] = posted.Sunday,
            },
            posted.ClosedPeriods, posted.ContactName, posted.ContactEmail, posted.ContactPhone);
        var room = RoomFields.Check(input, communes, errors);
        if (posted.Consent != true)
        {
            errors.Add("consent", "Merci d'accepter que la salle soit publiée et que le contact reçoive les demandes de réservation.");
        }

        return new(new RoomOffer(room, photos));
    }

    public async Task<FormResult> StoreAsync(RoomOffer submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        submission.Room.ConsentTextVersion = forms.Value.ConsentTextVersion;
        submission.Room.OfferedAt = time.GetUtcNow();
        var id = await catalog.OfferAsync(submission.Room, submission.Photos, RoomCatalog.FromForm, cancellationToken).ConfigureAwait(false);
        return FormResult.Waiting(new PendingReceipt(id, Thanks));
    }
}
