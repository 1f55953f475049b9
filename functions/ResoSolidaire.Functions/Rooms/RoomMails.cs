namespace ResoSolidaire.Functions.Rooms;

/// <summary>The room sharing's mails, in French, built with FormMail (every value a person typed is encoded).</summary>
public sealed class RoomMails(IOptions<MailOptions> mailOptions, RoomLinks links, TimeProvider time)
{
    private const string Signature = "L'équipe de Réso Solidaire";

    public OutgoingMail OfferToStaff(RoomEntity room)
    {
        ArgumentNullException.ThrowIfNull(room);
        var mail = new FormMail()
            .Paragraph("Une salle a été proposée par le formulaire du site. Elle attend votre validation dans l'outil de l'équipe (Salles), où vous la relierez à sa structure dans l'annuaire.")
            .Field("Structure", room.Structure)
            .Field("Salle", room.Name)
            .Field("Type", RoomVocabulary.Label(RoomVocabulary.Kinds, room.Kind))
            .Field("Capacité", $"{room.Capacity} personnes")
            .Field("Commune", room.CommuneName)
            .Field("Contact", $"{room.ContactName} <{room.ContactEmail}>");
        var (html, text) = mail.Build("Une salle à valider");
        return new OutgoingMail(mailOptions.Value.StaffRecipientList, $"Salles : « {room.Name} » attend votre validation", html, text) { Kind = "room-offer", About = [room.ContactEmail] };
    }

    public OutgoingMail Published(RoomEntity room)
    {
        ArgumentNullException.ThrowIfNull(room);
        var (html, text) = new FormMail()
            .Paragraph($"Bonjour {room.ContactName},")
            .Paragraph($"Votre salle « {room.Name} » est publiée parmi les salles à partager de Réso Solidaire. Les demandes de réservation vous parviendront par courriel : chacune porte des liens pour l'accepter, la refuser ou proposer un autre créneau, sans compte à créer.")
            .Paragraph("Le calendrier des réservations confirmées de la salle, à ajouter à votre agenda (Outlook, Thunderbird, Google Agenda) :")
            .Link("Calendrier de la salle", links.RoomFeed(room.RowKey))
            .Paragraph(Signature)
            .Build("Votre salle est publiée");
        return new OutgoingMail([room.ContactEmail], $"Votre salle « {room.Name} » est publiée", html, text) { Kind = "room-published" };
    }

    public static OutgoingMail Refused(RoomEntity room)
    {
        ArgumentNullException.ThrowIfNull(room);
        var (html, text) = new FormMail()
            .Paragraph($"Bonjour {room.ContactName},")
            .Paragraph($"Votre proposition de salle « {room.Name} » n'a pas été retenue, pour la raison suivante :")
            .Paragraph(room.RejectionReason ?? "")
            .Paragraph("N'hésitez pas à nous écrire pour en parler.")
            .Paragraph(Signature)
            .Build("Votre proposition de salle");
        return new OutgoingMail([room.ContactEmail], "Votre proposition de salle n'a pas été retenue", html, text) { Kind = "room-refused" };
    }

    public OutgoingMail RequestToContact(BookingRequestEntity request, RoomEntity room)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(room);
        var mail = new FormMail()
            .Paragraph($"Bonjour {room.ContactName},")
            .Paragraph($"Une demande de réservation de la salle « {room.Name} » vous attend (référence {request.Reference}).");
        Details(mail, request);
        mail.Paragraph("Répondez avec l'un de ces liens ; chacun ouvre une page où vous confirmez votre choix :")
            .Link("Accepter la demande", links.For(RoomLinks.AcceptPurpose, request))
            .Link("Proposer un autre créneau", links.For(RoomLinks.ProposePurpose, request))
            .Link("Refuser la demande", links.For(RoomLinks.DeclinePurpose, request))
            .Paragraph("Vous pouvez aussi répondre à ce courriel pour écrire directement à la personne.")
            .Paragraph(Signature);
        var (html, text) = mail.Build("Une demande de réservation");
        return new OutgoingMail([room.ContactEmail], $"Demande de réservation de « {room.Name} » ({request.Reference})", html, text)
        {
            Kind = "room-request",
            ReplyTo = request.Email,
            About = [request.Email],
        };
    }

    public static OutgoingMail RequestReceived(BookingRequestEntity request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mail = new FormMail()
            .Paragraph($"Bonjour {request.Name},")
            .Paragraph($"Votre demande de réservation de la salle « {request.RoomName} » est transmise à la structure qui la prête (référence {request.Reference}). Vous recevrez sa réponse par courriel.")
            .Heading("Dates demandées")
            .List(request.DateList.Select(d => $"{Schedule.FrenchDate(d)}, {Schedule.French(request.Hours)}"));
        if (request.ClashList.Count > 0)
        {
            mail.Heading("Dates indisponibles (non demandées)").List(request.ClashList.Select(c => $"{Schedule.FrenchDate(c.Day)} : {c.Reason}"));
        }

        var (html, text) = mail.Paragraph(Signature).Build("Votre demande de réservation");
        return new OutgoingMail([request.Email], $"Votre demande de réservation ({request.Reference})", html, text) { Kind = "room-request-ack" };
    }

    /// <summary>The confirmation to one party, with the invitation and that party's cancellation link.</summary>
    public OutgoingMail Confirmed(BookingRequestEntity request, RoomEntity room, bool toLender)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(room);
        var mail = new FormMail()
            .Paragraph(toLender ? $"Bonjour {room.ContactName}," : $"Bonjour {request.Name},")
            .Paragraph(toLender
                ? $"La réservation {request.Reference} de la salle « {room.Name} » est confirmée. Elle est jointe à ce courriel (fichier .ics, à ouvrir avec votre agenda)."
                : $"Bonne nouvelle : votre réservation de la salle « {room.Name} » est confirmée (référence {request.Reference}). Elle est jointe à ce courriel (fichier .ics, à ouvrir avec votre agenda).")
            .Heading("Dates réservées")
            .List(request.ConfirmedList.Select(d => $"{Schedule.FrenchDate(d)}, {Schedule.French(request.Hours)}"));
        if (request.LostList.Count > 0)
        {
            mail.Heading("Dates qui n'ont pas pu être réservées").List(request.LostList.Select(c => $"{Schedule.FrenchDate(c.Day)} : {c.Reason}"));
        }

        mail.Field("Adresse", $"{room.Address}, {room.CommuneName}")
            .Field(toLender ? "Demandeur" : "Contact de la salle", toLender ? $"{request.Name}{(request.Structure is null ? "" : $" ({request.Structure})")}, {request.Email}" : $"{room.ContactName}, {room.ContactEmail}")
            .Paragraph("Un empêchement ? Annulez la réservation avec ce lien, l'autre partie sera prévenue :")
            .Link("Annuler la réservation", links.For(toLender ? RoomLinks.CancelByLenderPurpose : RoomLinks.CancelByBorrowerPurpose, request))
            .Paragraph(Signature);
        var (html, text) = mail.Build("Réservation confirmée");
        return new OutgoingMail([toLender ? room.ContactEmail : request.Email], $"Réservation confirmée : « {room.Name} » ({request.Reference})", html, text)
        {
            Kind = "room-confirmed",
            ReplyTo = toLender ? request.Email : room.ContactEmail,
            About = toLender ? [request.Email] : [],
            Attachments = [new MailAttachment("reservation.ics", "text/calendar", Encoding.UTF8.GetBytes(RoomIcs.Invitation(Bookings(request, room, request.ConfirmedList), time.GetUtcNow())))],
        };
    }

    public static OutgoingMail Declined(BookingRequestEntity request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mail = new FormMail()
            .Paragraph($"Bonjour {request.Name},")
            .Paragraph($"Votre demande de réservation de la salle « {request.RoomName} » (référence {request.Reference}) n'a pas pu être acceptée.");
        if (!string.IsNullOrEmpty(request.Message))
        {
            mail.Paragraph("Le message de la structure :").Paragraph(request.Message);
        }

        var (html, text) = mail.Paragraph("D'autres salles sont à partager sur le site de Réso Solidaire.").Paragraph(Signature).Build("Votre demande de réservation");
        return new OutgoingMail([request.Email], $"Votre demande de réservation n'a pas été acceptée ({request.Reference})", html, text) { Kind = "room-declined" };
    }

    public OutgoingMail Proposed(BookingRequestEntity request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var day = LocalDates.Parse(request.ProposedDate)!.Value;
        var hours = request.ProposedHours!.Value;
        var mail = new FormMail()
            .Paragraph($"Bonjour {request.Name},")
            .Paragraph($"La structure qui prête la salle « {request.RoomName} » ne peut pas vous accueillir aux dates demandées (référence {request.Reference}), mais vous propose un autre créneau :")
            .Paragraph($"{Schedule.FrenchDate(day)}, {Schedule.French(hours)}");
        if (!string.IsNullOrEmpty(request.Message))
        {
            mail.Paragraph("Son message :").Paragraph(request.Message);
        }

        var (html, text) = mail.Paragraph("Ce créneau vous convient ? Acceptez-le avec ce lien ; sinon, il suffit de ne rien faire.")
            .Link("Accepter le créneau proposé", links.For(RoomLinks.TakePurpose, request, request.ProposedDate))
            .Paragraph(Signature)
            .Build("Un autre créneau vous est proposé");
        return new OutgoingMail([request.Email], $"Un autre créneau vous est proposé ({request.Reference})", html, text) { Kind = "room-proposed" };
    }

    public OutgoingMail Cancelled(BookingRequestEntity request, RoomEntity room, IReadOnlyList<DateOnly> released, bool toLender)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(room);
        var who = request.CancelledBy switch
        {
            "demandeur" => toLender ? $"{request.Name} a annulé" : "Vous avez annulé",
            "contact de la salle" => toLender ? "Vous avez annulé" : "La structure qui prête la salle a annulé",
            _ => "L'équipe de Réso Solidaire a annulé",
        };
        var (html, text) = new FormMail()
            .Paragraph(toLender ? $"Bonjour {room.ContactName}," : $"Bonjour {request.Name},")
            .Paragraph($"{who} la réservation {request.Reference} de la salle « {room.Name} ». Les dates ci-dessous sont libérées ; le fichier joint les retire de votre agenda.")
            .List(released.Select(d => $"{Schedule.FrenchDate(d)}, {Schedule.French(request.Hours)}"))
            .Paragraph(Signature)
            .Build("Réservation annulée");
        return new OutgoingMail([toLender ? room.ContactEmail : request.Email], $"Réservation annulée : « {room.Name} » ({request.Reference})", html, text)
        {
            Kind = "room-cancelled",
            About = toLender ? [request.Email] : [],
            Attachments = [new MailAttachment("annulation.ics", "text/calendar", Encoding.UTF8.GetBytes(RoomIcs.Cancellation(Bookings(request, room, released), time.GetUtcNow())))],
        };
    }

    public OutgoingMail Reminder(BookingRequestEntity request, RoomEntity room, DateOnly day, bool toLender)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(room);
        var (html, text) = new FormMail()
            .Paragraph(toLender ? $"Bonjour {room.ContactName}," : $"Bonjour {request.Name},")
            .Paragraph(toLender
                ? $"Rappel : demain, {Schedule.FrenchDate(day)}, votre salle « {room.Name} » est prêtée {Schedule.French(request.Hours)} à {request.Name}{(request.Structure is null ? "" : $" ({request.Structure})")}."
                : $"Rappel : demain, {Schedule.FrenchDate(day)}, vous avez réservé la salle « {room.Name} » {Schedule.French(request.Hours)}.")
            .Field("Adresse", $"{room.Address}, {room.CommuneName}")
            .Field(toLender ? "Demandeur" : "Contact de la salle", toLender ? $"{request.Email}{(request.Phone is null ? "" : $", {request.Phone}")}" : $"{room.ContactName}, {room.ContactEmail}{(room.ContactPhone is null ? "" : $", {room.ContactPhone}")}")
            .Link("Annuler cette réservation", links.For(toLender ? RoomLinks.CancelByLenderPurpose : RoomLinks.CancelByBorrowerPurpose, request))
            .Paragraph(Signature)
            .Build("Rappel de réservation");
        return new OutgoingMail([toLender ? room.ContactEmail : request.Email], $"Rappel : « {room.Name} » demain ({request.Reference})", html, text)
        {
            Kind = "room-reminder",
            About = toLender ? [request.Email] : [],
        };
    }

    /// <summary>Booked dates as calendars show them (the borrower's structure, never their name, in a feed; here the parties' own mails).</summary>
    public static IEnumerable<CalendarBooking> Bookings(BookingRequestEntity request, RoomEntity room, IEnumerable<DateOnly> days) =>
        days.Select(d => new CalendarBooking(request.Reference, room.Name, $"{room.Address}, {room.CommuneName}", d, request.Hours, request.CalendarLabel, $"Réservation {request.Reference} par Réso Solidaire : {request.Purpose}"));

    private static void Details(FormMail mail, BookingRequestEntity request)
    {
        mail.Field("Demandeur", request.Name)
            .Field("Structure", request.Structure)
            .Field("Adresse e-mail", request.Email)
            .Field("Téléphone", FieldRules.PhoneForPeople(request.Phone))
            .Field("Objet", request.Purpose)
            .Field("Nombre de personnes", request.People.ToString(CultureInfo.InvariantCulture))
            .Field("Horaires", Schedule.French(request.Hours))
            .Field("Répétition", RoomVocabulary.Label(RoomVocabulary.Recurrences, request.Recurrence))
            .Heading("Dates demandées")
            .List(request.DateList.Select(Schedule.FrenchDate));
        if (request.ClashList.Count > 0)
        {
            mail.Heading("Dates écartées (indisponibles)").List(request.ClashList.Select(c => $"{Schedule.FrenchDate(c.Day)} : {c.Reason}"));
        }
    }
}
