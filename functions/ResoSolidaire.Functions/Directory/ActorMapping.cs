using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory;

/// <summary>Explicit mapping between validated fields, table entities and the API's records.</summary>
public static class ActorMapping
{
    /// <summary>Writes the content of <paramref name="fields"/> into <paramref name="entity"/> (not its keys nor its audit fields).</summary>
    public static void Apply(ActorEntity entity, ActorFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(fields);
        entity.Name = fields.Name;
        entity.NameKey = TextKey.Of(fields.Name);
        entity.Kind = fields.Kind;
        entity.LegalStatus = fields.LegalStatus;
        entity.LegalStatusKey = fields.LegalStatus is null ? null : TextKey.Of(fields.LegalStatus);
        entity.Siret = fields.Siret;
        entity.Sectors = ActorEntity.JoinList(fields.Sectors);
        entity.CommuneInsee = fields.Commune?.InseeCode;
        entity.CommuneName = fields.Commune?.Name;
        entity.Epci = fields.Commune?.EpciCode;
        entity.Quartier = fields.Quartier;
        entity.Address = fields.Address;
        entity.PostalCode = fields.PostalCode;
        entity.Emails = ActorEntity.JoinList(fields.Emails);
        entity.Phones = ActorEntity.JoinList(fields.Phones);
        entity.Website = fields.Website;
        entity.Tags = ActorEntity.JoinList(fields.Tags);
        entity.TagKeys = ActorEntity.JoinList(fields.Tags.Select(TextKey.Of).ToList());
        entity.Newsletter = fields.Newsletter;
        entity.ConsentDate = fields.Consent?.Date;
        entity.ConsentSource = fields.Consent?.Source;
        entity.ConsentTextVersion = fields.Consent?.TextVersion;
        entity.Notes = fields.Notes;
    }

    /// <summary>The consent recorded on the actor, if any.</summary>
    public static ActorConsent? ConsentOf(ActorEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.ConsentDate is { } date ? new ActorConsent(date, entity.ConsentSource ?? "", entity.ConsentTextVersion ?? "") : null;
    }

    /// <summary>The French names of the fields whose content differs (audit fields and keys aside); empty when the same.</summary>
    public static IReadOnlyList<string> Differences(ActorEntity before, ActorEntity after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<string>();
        void Compare<T>(T a, T b, string label)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                changes.Add(label);
            }
        }

        Compare(before.Name, after.Name, "nom");
        Compare(before.Kind, after.Kind, "type");
        Compare(before.LegalStatus, after.LegalStatus, "statut juridique");
        Compare(before.Siret, after.Siret, "SIRET");
        Compare(before.Sectors, after.Sectors, "secteurs");
        Compare(before.CommuneInsee, after.CommuneInsee, "commune");
        Compare(before.Quartier, after.Quartier, "quartier");
        Compare(before.Address, after.Address, "adresse");
        Compare(before.PostalCode, after.PostalCode, "code postal");
        Compare(before.Emails, after.Emails, "e-mails");
        Compare(before.Phones, after.Phones, "téléphones");
        Compare(before.Website, after.Website, "site web");
        Compare(before.Tags, after.Tags, "étiquettes");
        Compare(before.Newsletter, after.Newsletter, "newsletter");
        Compare(ConsentOf(before), ConsentOf(after), "consentement");
        Compare(before.Notes, after.Notes, "notes");
        return changes;
    }

    /// <summary>The stored actor as an input, the base an import row is laid over.</summary>
    public static ActorInput ToInput(ActorEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new ActorInput(
            entity.Name,
            entity.Kind,
            entity.LegalStatus,
            entity.Siret,
            ActorEntity.SplitList(entity.Sectors),
            entity.CommuneInsee,
            entity.Quartier,
            entity.Address,
            entity.PostalCode,
            ActorEntity.SplitList(entity.Emails),
            ActorEntity.SplitList(entity.Phones),
            entity.Website,
            ActorEntity.SplitList(entity.Tags),
            entity.Newsletter,
            entity.Notes,
            ConsentOf(entity) is { } consent ? new ActorConsentInput(consent.Date, consent.Source, consent.TextVersion) : null);
    }

    /// <summary>A copy of the keys, version and audit fields of an actor, to lay new content over.</summary>
    public static ActorEntity CopyIdentity(ActorEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new ActorEntity
        {
            PartitionKey = entity.PartitionKey,
            RowKey = entity.RowKey,
            ETag = entity.ETag,
            CreatedAt = entity.CreatedAt,
            CreatedBy = entity.CreatedBy,
            CreatedByObjectId = entity.CreatedByObjectId,
            UpdatedAt = entity.UpdatedAt,
            UpdatedBy = entity.UpdatedBy,
            UpdatedByObjectId = entity.UpdatedByObjectId,
        };
    }

    public static ActorDto ToDto(ActorEntity entity, DirectoryVocabularies vocabulary)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new ActorDto(
            entity.RowKey,
            entity.Name,
            entity.Kind,
            vocabulary.Kinds.Label(entity.Kind),
            entity.LegalStatus,
            entity.Siret,
            ActorEntity.SplitList(entity.Sectors),
            entity.CommuneInsee,
            entity.CommuneName,
            entity.Epci,
            entity.Epci is null ? null : CommuneDirectory.PaysDeRennesEpcis.GetValueOrDefault(entity.Epci),
            entity.Quartier,
            entity.Quartier is null ? null : Quartiers.Find(entity.Quartier)?.Name,
            entity.Address,
            entity.PostalCode,
            ActorEntity.SplitList(entity.Emails),
            ActorEntity.SplitList(entity.Phones),
            entity.Website,
            ActorEntity.SplitList(entity.Tags),
            entity.Newsletter,
            ConsentOf(entity),
            entity.Notes,
            entity.CreatedAt,
            entity.CreatedBy,
            entity.UpdatedAt,
            entity.UpdatedBy,
            entity.ReviewSince);
    }
}
