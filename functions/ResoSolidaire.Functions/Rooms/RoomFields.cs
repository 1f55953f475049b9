using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>A room as typed, in the public offer form or the console's form: every value as text, checked by <see cref="RoomFields"/>.</summary>
public sealed record RoomInput(
    string? Structure,
    string? Name,
    string? Kind,
    string? Capacity,
    IReadOnlyList<string> Equipment,
    bool Accessible,
    string? Address,
    string? Commune,
    string? PostalCode,
    string? Conditions,
    string? Price,
    string? Description,
    IReadOnlyDictionary<DayOfWeek, string?> Hours,
    string? ClosedPeriods,
    string? ContactName,
    string? ContactEmail,
    string? ContactPhone);

/// <summary>The checks of a room's fields, shared by the public offer and the staff's entry: French messages by field.</summary>
public static class RoomFields
{
    public const int MaxCapacity = 1000;

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["structure"] = "Structure qui prête la salle",
        ["name"] = "Nom de la salle",
        ["kind"] = "Type de salle",
        ["capacity"] = "Capacité",
        ["equipment"] = "Équipements",
        ["accessible"] = "Accessible aux personnes à mobilité réduite",
        ["address"] = "Adresse",
        ["commune"] = "Commune",
        ["postalCode"] = "Code postal",
        ["conditions"] = "Conditions",
        ["price"] = "Tarif",
        ["description"] = "Description",
        ["monday"] = "Lundi",
        ["tuesday"] = "Mardi",
        ["wednesday"] = "Mercredi",
        ["thursday"] = "Jeudi",
        ["friday"] = "Vendredi",
        ["saturday"] = "Samedi",
        ["sunday"] = "Dimanche",
        ["hours"] = "Horaires",
        ["closedPeriods"] = "Périodes de fermeture",
        ["contactName"] = "Nom du contact",
        ["contactEmail"] = "Adresse e-mail du contact",
        ["contactPhone"] = "Téléphone du contact",
        ["consent"] = "Consentement",
        ["photos"] = "Photos",
    };

    /// <summary>The room's fields, checked; errors under each field's name. The entity's id, status and history are the caller's.</summary>
    public static RoomEntity Check(RoomInput input, CommuneDirectory communes, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(communes);
        ArgumentNullException.ThrowIfNull(errors);

        // Checked in the order of the forms: the error summary lists the fields as they come on the page.
        var room = new RoomEntity
        {
            Structure = FieldRules.Required(errors, "structure", input.Structure, 200, "Le nom de la structure"),
            Name = FieldRules.Required(errors, "name", input.Name, 120, "Le nom de la salle"),
            Kind = FieldRules.Choice(errors, "kind", input.Kind, RoomVocabulary.Kinds, "Le type de salle") ?? "",
            Capacity = Capacity(errors, input.Capacity),
            Accessible = input.Accessible,
        };
        var equipment = new List<string>();
        foreach (var item in input.Equipment)
        {
            if (FieldRules.Choice(errors, "equipment", item, RoomVocabulary.Equipment, "Chaque équipement", required: false) is { } code && !equipment.Contains(code))
            {
                equipment.Add(code);
            }
        }

        room.Equipment = equipment.Count == 0 ? null : string.Join('\n', equipment);
        room.Address = FieldRules.Required(errors, "address", input.Address, 200, "L'adresse");
        Commune(room, communes, errors, input.Commune, input.PostalCode);
        room.Conditions = FieldRules.Choice(errors, "conditions", input.Conditions, RoomVocabulary.Conditions, "Les conditions") ?? "";
        room.Price = FieldRules.Optional(errors, "price", input.Price, 200);
        if (room.Conditions == "tarif" && room.Price is null)
        {
            errors.Add("price", "Indiquez le tarif demandé (exemple : 20 € la demi-journée).");
        }

        room.Description = FieldRules.Optional(errors, "description", input.Description, 2000, multiline: true);
        Hours(room, errors, input.Hours);
        var (closed, closedError) = Schedule.ParseClosed(FieldRules.Clean(input.ClosedPeriods, multiline: true));
        if (closedError is not null)
        {
            errors.Add("closedPeriods", closedError);
        }
        else
        {
            room.ClosedPeriods = closed!.Count == 0 ? null : Schedule.Store(closed);
        }

        room.ContactName = FieldRules.Required(errors, "contactName", input.ContactName, 120, "Le nom du contact");
        room.ContactEmail = FieldRules.Email(errors, "contactEmail", input.ContactEmail);
        room.ContactPhone = FieldRules.Phone(errors, "contactPhone", input.ContactPhone, required: false);
        return room;
    }

    private static int Capacity(FieldErrors errors, string? text)
    {
        var value = FieldRules.Clean(text);
        if (value.Length == 0)
        {
            errors.Add("capacity", "La capacité est obligatoire (le nombre de personnes que la salle peut accueillir).");
            return 0;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var capacity) || capacity is < 1 or > MaxCapacity)
        {
            errors.Add("capacity", $"La capacité doit être un nombre entier de personnes, de 1 à {MaxCapacity}.");
            return 0;
        }

        return capacity;
    }

    private static void Commune(RoomEntity room, CommuneDirectory communes, FieldErrors errors, string? commune, string? postalCode)
    {
        var name = FieldRules.Clean(commune);
        if (name.Length > 100)
        {
            errors.Add("commune", "Ce champ ne peut pas dépasser 100 caractères.");
            return;
        }

        var lookup = communes.Resolve(name, FieldRules.Clean(postalCode).Replace(" ", "", StringComparison.Ordinal));
        switch (lookup.Match)
        {
            case CommuneMatch.Found:
                room.CommuneInsee = lookup.Commune!.InseeCode;
                room.CommuneName = lookup.Commune.Name;
                room.Epci = lookup.Commune.EpciCode;
                break;
            case CommuneMatch.Missing:
                errors.Add("commune", "La commune est obligatoire.");
                break;
            case CommuneMatch.UnknownInseeCode:
                errors.Add("commune", "Ce code INSEE ne correspond à aucune commune française.");
                break;
            case CommuneMatch.UnknownPostalCode:
                errors.Add("postalCode", "Indiquez le code postal de la commune (5 chiffres), ou son code INSEE à la place du nom.");
                break;
            default:
                errors.Add("commune", "Cette commune ne correspond pas au code postal indiqué.");
                break;
        }
    }

    private static void Hours(RoomEntity room, FieldErrors errors, IReadOnlyDictionary<DayOfWeek, string?> hours)
    {
        var slots = new List<WeeklySlot>();
        foreach (var (day, field, _) in Schedule.Days)
        {
            var (ranges, error) = Schedule.ParseDay(FieldRules.Clean(hours.GetValueOrDefault(day)));
            if (error is not null)
            {
                errors.Add(field, error);
                continue;
            }

            slots.AddRange(ranges!.Select(r => new WeeklySlot(day, r)));
        }

        if (slots.Count == 0 && !Schedule.Days.Any(d => errors.Has(d.Field)))
        {
            errors.Add("monday", "Indiquez les horaires d'au moins un jour où la salle peut être prêtée (exemple : 9h-12h, 14h-18h).");
        }

        room.WeeklyHours = Schedule.Store(slots);
    }
}
