namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

public sealed record SubscriptionRequest(EmailAddress Email, string? Name, IReadOnlyList<string>? Territories, IReadOnlyList<string>? Sectors, string Source);

public enum LinkOutcome
{
    Done,
    Unknown,
}

/// <summary>
/// Double opt-in, unsubscribe and preferences. Whatever the address's state, subscribing has the same
/// visible outcome (no enumeration), and an address gets at most one confirmation mail per interval.
/// </summary>
public sealed class SubscriptionService(
    NewsletterStorage storage,
    SuppressionList suppressions,
    NewsletterLinks links,
    AudienceChanges audience,
    MailOutbox outbox,
    EmailHasher emailHasher,
    IOptions<NewsletterOptions> options,
    TimeProvider time,
    ILogger<SubscriptionService> logger)
{
    private readonly NewsletterOptions _options = options.Value;

    public async Task SubscribeAsync(SubscriptionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var table = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var key = emailHasher.Hash(request.Email);
        var now = time.GetUtcNow();
        var territories = Interests.Keep(request.Territories, Interests.Territories);
        var sectors = Interests.Keep(request.Sectors, Interests.Sectors);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var found = await table.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                SubscriberEntity entity;
                if (!found.HasValue || found.Value is null)
                {
                    entity = new SubscriberEntity
                    {
                        RowKey = key,
                        Email = request.Email.Value,
                        Name = request.Name,
                        Territories = territories,
                        Sectors = sectors,
                        CreatedAt = now,
                        ConsentTextVersion = _options.ConsentTextVersion,
                        ConsentAt = now,
                        ConsentSource = request.Source,
                        LastConfirmationMailAt = now,
                    };
                    await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    entity = found.Value;
                    var confirmed = entity.Status == SubscriberStatus.Confirmed
                        && !await suppressions.IsSuppressedAsync(key, cancellationToken).ConfigureAwait(false);
                    if (confirmed)
                    {
                        return; // already receiving the newsletter: nothing to do, and nothing to tell
                    }

                    if (entity.LastConfirmationMailAt is { } last && now - last < _options.ConfirmationMailInterval)
                    {
                        logger.LogInformation("Confirmation mail withheld: one was sent less than {Interval} ago", _options.ConfirmationMailInterval);
                        return;
                    }

                    entity.Status = entity.Status == SubscriberStatus.Confirmed ? SubscriberStatus.Confirmed : SubscriberStatus.Pending;
                    entity.Name = request.Name ?? entity.Name;
                    entity.Territories = territories;
                    entity.Sectors = sectors;
                    entity.ConsentTextVersion = _options.ConsentTextVersion;
                    entity.ConsentAt = now;
                    entity.ConsentSource = request.Source;
                    entity.LastConfirmationMailAt = now;
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                await SendConfirmationAsync(entity.Email, key, now, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // The same address was posted twice at once: read it again; the second sees the mail already sent.
            }
        }
    }

    public async Task<LinkOutcome> ConfirmAsync(string key, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue || found.Value is null)
        {
            return LinkOutcome.Unknown;
        }

        var entity = found.Value;
        if (entity.Status != SubscriberStatus.Confirmed)
        {
            entity.Status = SubscriberStatus.Confirmed;
            entity.ConfirmedAt = time.GetUtcNow();
            entity.UnsubscribedAt = null;
            await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            await audience.RecordAsync(AudienceChangeEntity.Gained, null, cancellationToken).ConfigureAwait(false);
        }

        // A confirmed subscription is a fresh, explicit consent: it lifts an earlier opt-out.
        await suppressions.LiftAsync(key, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Newsletter subscription confirmed");
        return LinkOutcome.Done;
    }

    /// <summary>Suppresses the address at once (subscriber or directory actor alike) and marks a subscriber as unsubscribed.</summary>
    public async Task UnsubscribeAsync(string key, string source, CancellationToken cancellationToken)
    {
        await audience.RecordLossAsync(key, "unsubscribe", suppressions, cancellationToken).ConfigureAwait(false);
        await suppressions.SuppressAsync(key, "unsubscribe", source, cancellationToken).ConfigureAwait(false);
        var table = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (found.HasValue && found.Value is { } entity && entity.Status != SubscriberStatus.Unsubscribed)
        {
            entity.Status = SubscriberStatus.Unsubscribed;
            entity.UnsubscribedAt = time.GetUtcNow();
            try
            {
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                // Changed meanwhile; the suppression above is what every sender honours.
            }
        }

        logger.LogInformation("Newsletter address suppressed through {Source}", source);
    }

    public async Task<SubscriberEntity?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    public async Task<LinkOutcome> SavePreferencesAsync(string key, IEnumerable<string> territories, IEnumerable<string> sectors, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var entity = await FindAsync(key, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return LinkOutcome.Unknown;
        }

        entity.Territories = Interests.Keep(territories, Interests.Territories);
        entity.Sectors = Interests.Keep(sectors, Interests.Sectors);
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return LinkOutcome.Done;
    }

    private async Task SendConfirmationAsync(string email, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var url = links.Confirm(key);
        var encoded = Pages.E(url);
        var mail = new OutgoingMail(
            [email],
            "Confirmez votre inscription à la lettre de Réso Solidaire",
            "<p>Bonjour,</p><p>Vous (ou quelqu'un d'autre) avez demandé à recevoir la lettre d'information de Réso Solidaire avec cette adresse.</p>"
                + $"<p><a href=\"{encoded}\" style=\"color:#7a1f5c;font-weight:bold\">Confirmer mon inscription</a></p>"
                + "<p>Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : vous ne recevrez rien.</p><p>L'équipe de Réso Solidaire</p>",
            "Bonjour,\n\nVous (ou quelqu'un d'autre) avez demandé à recevoir la lettre d'information de Réso Solidaire avec cette adresse.\n\n"
                + $"Pour confirmer votre inscription, ouvrez ce lien :\n{url}\n\n"
                + "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : vous ne recevrez rien.\n\nL'équipe de Réso Solidaire\n")
        {
            Kind = "newsletter-confirmation",
        };
        await outbox.SendAsync(mail, $"newsletter-confirm-{key}-{now.UtcTicks}", cancellationToken).ConfigureAwait(false);
    }
}
