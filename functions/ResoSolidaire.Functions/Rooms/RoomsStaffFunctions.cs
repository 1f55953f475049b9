namespace ResoSolidaire.Functions.Rooms;

public sealed record ApproveRoomRequest(string? ActorId);

public sealed record RejectRoomRequest(string? Reason);

/// <summary>A room as staff see it: the public view, its status and its contact.</summary>
public sealed record RoomForStaff(RoomView Room, string Status, string StatusLabel, string? ActorId, string ContactName, string ContactEmail, string? ContactPhone, DateTimeOffset OfferedAt, string OfferedBy, string? RejectionReason);

/// <summary>The staff API of the rooms (scripts; people use the console's pages): the list and the moderation of offers.</summary>
public sealed class RoomsStaffFunctions(RoomCatalog catalog, RoomLinks links)
{
    [Function(nameof(ListRoomsForStaff))]
    public async Task<Results<Ok<IReadOnlyList<RoomForStaff>>, ValidationProblem, ProblemHttpResult>> ListRoomsForStaff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/rooms")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        var code = request.Query["status"].ToString();
        var status = RoomStatus.Terms.StoredOf(code);
        if (code.Length > 0 && status is null)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["status"] = [$"Valeurs possibles : {RoomStatus.Terms.Choices}."] });
        }

        var rooms = await catalog.ListAsync(status, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<RoomForStaff>>([.. rooms.Select(ForStaff)]);
    }

    [Function(nameof(ApproveRoom))]
    public async Task<Results<Ok<RoomForStaff>, ValidationProblem, ProblemHttpResult>> ApproveRoom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/rooms/{id}/approve")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        var body = await StaffJsonBinder.ReadAsync<ApproveRoomRequest>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return body.Problem;
        }

        if (string.IsNullOrWhiteSpace(body.Value.ActorId))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["actorId"] = ["Indiquez la structure de l'annuaire qui prête la salle (son identifiant)."] });
        }

        var (outcome, room) = await catalog.ApproveAsync(id, body.Value.ActorId.Trim(), StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Refusal(outcome, room) is { } refusal ? refusal : TypedResults.Ok(ForStaff(room!));
    }

    [Function(nameof(RejectRoom))]
    public async Task<Results<Ok<RoomForStaff>, ValidationProblem, ProblemHttpResult>> RejectRoom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/rooms/{id}/reject")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        var body = await StaffJsonBinder.ReadAsync<RejectRoomRequest>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return body.Problem;
        }

        var errors = new FieldErrors();
        var reason = FieldRules.Required(errors, "reason", body.Value.Reason, 2000, "Le motif", minLength: 3, multiline: true);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var (outcome, room) = await catalog.RejectAsync(id, reason, StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Refusal(outcome, room) is { } refusal ? refusal : TypedResults.Ok(ForStaff(room!));
    }

    private RoomForStaff ForStaff(RoomEntity room) =>
        new(RoomView.From(room, links), RoomStatus.Terms.Code(room.Status), RoomStatus.Terms.Label(room.Status), room.ActorId, room.ContactName, room.ContactEmail, room.ContactPhone, room.OfferedAt, room.OfferedBy, room.RejectionReason);

    /// <summary>The problem to answer when the moderation did not happen; null when it did.</summary>
    internal static ProblemHttpResult? Refusal(RoomOutcome outcome, RoomEntity? room) => outcome switch
    {
        RoomOutcome.NotFound => Problems.Problem(StatusCodes.Status404NotFound, "Salle introuvable."),
        RoomOutcome.AlreadyModerated => Problems.Problem(StatusCodes.Status409Conflict, "Cette salle a déjà été modérée.", $"Son statut est : {RoomStatus.Terms.Label(room?.Status)}."),
        RoomOutcome.UnknownActor => Problems.Problem(StatusCodes.Status422UnprocessableEntity, "Cette structure n'est pas dans l'annuaire.", "Ajoutez-la d'abord à l'annuaire, puis reliez-y la salle."),
        RoomOutcome.Stale => Problems.Problem(StatusCodes.Status412PreconditionFailed, "La salle a été modifiée entre-temps.", "Rechargez-la puis recommencez."),
        _ => null,
    };
}
