namespace ResoSolidaire.Functions.Directory.Vocabularies;

/// <summary>What a change to a vocabulary did: the term, and how many actors were rewritten (and missed); or why it was refused.</summary>
public sealed record VocabularyOutcome(TermEntity? Term, int ActorsChanged, int ActorsMissed, FieldErrors Errors)
{
    public bool Done => !Errors.Any;

    public static VocabularyOutcome Refused(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return new VocabularyOutcome(null, 0, 0, errors);
    }
}

/// <summary>A term as the vocabularies page shows it: with the number of actors that carry it.</summary>
public sealed record TermUse(TermEntity Term, int Actors);

/// <summary>
/// Staff's changes to the vocabularies (« Administration »): add a term, rename it (its old label becomes a synonym,
/// so spreadsheets that still use it are understood), merge it into another (the actors that carry it carry the
/// other; its spellings find the other), retire it (no longer offered; taken off the actors). Actors store the codes
/// of kinds and sectors, so a rename of either changes no actor: they show the new label at once; tags are stored
/// as text, so a tag's rename rewrites the actors that carry it.
/// </summary>
public sealed class VocabularyService(VocabularyStore vocabularies, ActorStore actors, TimeProvider time, ILogger<VocabularyService> logger)
{
    /// <summary>The terms of a vocabulary (active first, then former ones) with how many actors carry each.</summary>
    public async Task<IReadOnlyList<TermUse>> UsesAsync(VocabularyName name, CancellationToken cancellationToken)
    {
        var terms = await vocabularies.EntitiesAsync(name, cancellationToken).ConfigureAwait(false);
        var counts = await CountsAsync(name, cancellationToken).ConfigureAwait(false);
        return terms.Select(t => new TermUse(t, counts.GetValueOrDefault(name == VocabularyName.Tags ? TextKey.Of(t.Label) : t.RowKey))).ToList();
    }

    public async Task<VocabularyOutcome> AddAsync(VocabularyName name, string? label, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var current = (await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false)).Of(name);
        if (CheckLabel(name, label, current, null) is { } refused)
        {
            return refused;
        }

        var stored = await vocabularies.EntitiesAsync(name, cancellationToken).ConfigureAwait(false);

        // A retired term of that label comes back, with its code: the records that kept the code find it again.
        if (stored.FirstOrDefault(t => t.State == TermStates.Retired && TextKey.Of(t.Label) == TextKey.Of(label)) is { } retired)
        {
            retired.State = TermStates.Active;
            retired.Label = label!.Trim();
            retired.Stamp(by, Now());
            return await vocabularies.TryReplaceAsync(retired, cancellationToken).ConfigureAwait(false)
                ? new VocabularyOutcome(retired, 0, 0, new FieldErrors())
                : VocabularyOutcome.Refused("libelle", "Ce terme vient d'être modifié par quelqu'un d'autre : rechargez la page.");
        }

        var term = vocabularies.NewTerm(name, label!.Trim(), stored, by);
        if (!await vocabularies.TryAddAsync(term, cancellationToken).ConfigureAwait(false))
        {
            return VocabularyOutcome.Refused("libelle", "Un autre terme vient d'être créé avec ce libellé : rechargez la page.");
        }

        logger.LogInformation("Term {Code} added to {Vocabulary}", term.RowKey, VocabularyNames.Partition(name));
        return new VocabularyOutcome(term, 0, 0, new FieldErrors());
    }

    public async Task<VocabularyOutcome> RenameAsync(VocabularyName name, string code, string? label, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var term = await vocabularies.GetAsync(name, code, cancellationToken).ConfigureAwait(false);
        if (term is not { State: TermStates.Active })
        {
            return VocabularyOutcome.Refused("libelle", "Ce terme n'existe plus ou a été retiré : rechargez la page.");
        }

        var current = (await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false)).Of(name);
        if (CheckLabel(name, label, current, term.RowKey) is { } refused)
        {
            return refused;
        }

        var oldLabel = term.Label;
        var newLabel = label!.Trim();
        if (newLabel == oldLabel)
        {
            return new VocabularyOutcome(term, 0, 0, new FieldErrors());
        }

        term.Synonyms = ActorEntity.JoinList(ActorEntity.SplitList(term.Synonyms).Append(oldLabel).Where(s => TextKey.Of(s) != TextKey.Of(newLabel)).DistinctBy(TextKey.Of).ToList());
        term.Label = newLabel;
        term.Stamp(by, Now());
        if (!await vocabularies.TryReplaceAsync(term, cancellationToken).ConfigureAwait(false))
        {
            return VocabularyOutcome.Refused("libelle", "Ce terme vient d'être modifié par quelqu'un d'autre : rechargez la page.");
        }

        var (changed, missed) = name == VocabularyName.Tags
            ? await RewriteTagsAsync([oldLabel], newLabel, by, cancellationToken).ConfigureAwait(false)
            : (0, 0);
        logger.LogInformation("Term {Code} of {Vocabulary} renamed: {Changed} actors changed, {Missed} missed", code, VocabularyNames.Partition(name), changed, missed);
        return new VocabularyOutcome(term, changed, missed, new FieldErrors());
    }

    /// <summary>
    /// Merges <paramref name="code"/> into <paramref name="intoCode"/>: the term is marked merged first (so what is typed
    /// or imported from then on finds the other), then the actors are rewritten. Merging again a term already merged
    /// into the same one rewrites the actors left, should a first run have stopped midway.
    /// </summary>
    public async Task<VocabularyOutcome> MergeAsync(VocabularyName name, string code, string? intoCode, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var term = await vocabularies.GetAsync(name, code, cancellationToken).ConfigureAwait(false);
        var into = intoCode is null ? null : await vocabularies.GetAsync(name, intoCode, cancellationToken).ConfigureAwait(false);
        var again = term is { State: TermStates.Merged } && term.MergedInto == intoCode;
        if (term is null || (term.State != TermStates.Active && !again))
        {
            return VocabularyOutcome.Refused("dans", "Ce terme n'existe plus ou a été retiré : rechargez la page.");
        }

        if (into is not { State: TermStates.Active } || into.RowKey == term.RowKey)
        {
            return VocabularyOutcome.Refused("dans", $"Choisissez {VocabularyNames.TheTerm(name)} dans lequel fusionner « {term.Label} ».");
        }

        if (name == VocabularyName.Kinds && ActorKinds.IsPerson(term.RowKey) != ActorKinds.IsPerson(into.RowKey))
        {
            return VocabularyOutcome.Refused("dans", "Un type de personne (individu, étudiant) ne peut être fusionné qu'avec un type de personne : la newsletter ne leur est envoyée qu'avec leur consentement.");
        }

        if (!again)
        {
            // What was merged into this term now goes to the other, so that no spelling is left pointing at a former term.
            foreach (var former in (await vocabularies.EntitiesAsync(name, cancellationToken).ConfigureAwait(false)).Where(t => t.MergedInto == term.RowKey))
            {
                former.MergedInto = into.RowKey;
                former.Stamp(by, Now());
                await vocabularies.TryReplaceAsync(former, cancellationToken).ConfigureAwait(false);
            }

            term.State = TermStates.Merged;
            term.MergedInto = into.RowKey;
            term.Stamp(by, Now());
            if (!await vocabularies.TryReplaceAsync(term, cancellationToken).ConfigureAwait(false))
            {
                return VocabularyOutcome.Refused("dans", "Ce terme vient d'être modifié par quelqu'un d'autre : rechargez la page.");
            }
        }

        var (changed, missed) = name switch
        {
            VocabularyName.Kinds => await actors.RewriteAsync(TableClient.CreateQueryFilter($"Kind eq {term.RowKey}"), a => KindChange(a, term.RowKey, into.RowKey), by, cancellationToken).ConfigureAwait(false),
            VocabularyName.Sectors => await actors.RewriteAsync(null, a => SectorsChange(a, term.RowKey, into.RowKey), by, cancellationToken).ConfigureAwait(false),
            _ => await RewriteTagsAsync([term.Label, .. ActorEntity.SplitList(term.Synonyms)], into.Label, by, cancellationToken).ConfigureAwait(false),
        };
        logger.LogInformation("Term {Code} of {Vocabulary} merged into {Into}: {Changed} actors changed, {Missed} missed", term.RowKey, VocabularyNames.Partition(name), into.RowKey, changed, missed);
        return new VocabularyOutcome(into, changed, missed, new FieldErrors());
    }

    /// <summary>
    /// Retires a term: no longer offered, and taken off the actors that carry it. A kind still carried by actors is
    /// not retired (an actor needs a kind: merge it instead), nor a person kind; a retired tag is deleted, since
    /// tags exist only as text on the actors.
    /// </summary>
    public async Task<VocabularyOutcome> RetireAsync(VocabularyName name, string code, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var term = await vocabularies.GetAsync(name, code, cancellationToken).ConfigureAwait(false);
        if (term is not { State: TermStates.Active })
        {
            return VocabularyOutcome.Refused("terme", "Ce terme n'existe plus ou a déjà été retiré : rechargez la page.");
        }

        if (name == VocabularyName.Kinds)
        {
            if (ActorKinds.IsPerson(term.RowKey))
            {
                return VocabularyOutcome.Refused("terme", "Les types « Individu » et « Étudiant » ne peuvent pas être retirés : la règle du consentement à la newsletter s'appuie sur eux. Vous pouvez les renommer.");
            }

            var uses = (await CountsAsync(name, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(term.RowKey);
            if (uses > 0)
            {
                return VocabularyOutcome.Refused("terme", $"{ConsoleCount(uses)} de ce type : une fiche a toujours un type. Fusionnez plutôt « {term.Label} » dans un autre type.");
            }
        }

        bool saved;
        if (name == VocabularyName.Tags)
        {
            saved = await vocabularies.TryDeleteAsync(term, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            term.State = TermStates.Retired;
            term.Stamp(by, Now());
            saved = await vocabularies.TryReplaceAsync(term, cancellationToken).ConfigureAwait(false);
        }

        if (!saved)
        {
            return VocabularyOutcome.Refused("terme", "Ce terme vient d'être modifié par quelqu'un d'autre : rechargez la page.");
        }

        var (changed, missed) = name switch
        {
            VocabularyName.Sectors => await actors.RewriteAsync(null, a => SectorsChange(a, term.RowKey, null), by, cancellationToken).ConfigureAwait(false),
            VocabularyName.Tags => await RewriteTagsAsync([term.Label, .. ActorEntity.SplitList(term.Synonyms)], null, by, cancellationToken).ConfigureAwait(false),
            _ => (0, 0),
        };
        logger.LogInformation("Term {Code} of {Vocabulary} retired: {Changed} actors changed, {Missed} missed", term.RowKey, VocabularyNames.Partition(name), changed, missed);
        return new VocabularyOutcome(term, changed, missed, new FieldErrors());
    }

    /// <summary>How many actors carry each term: kinds and sectors by code, tags by text key.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(VocabularyName name, CancellationToken cancellationToken)
    {
        var column = name switch
        {
            VocabularyName.Kinds => nameof(ActorEntity.Kind),
            VocabularyName.Sectors => nameof(ActorEntity.Sectors),
            _ => nameof(ActorEntity.TagKeys),
        };
        var table = await actors.TableAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(select: [column], maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var value in ActorEntity.SplitList(row.GetString(column)).Distinct(StringComparer.Ordinal))
            {
                counts[value] = counts.GetValueOrDefault(value) + 1;
            }
        }

        return counts;
    }

    /// <summary>Replaces the tags whose key is one of <paramref name="oldLabels"/>' by <paramref name="newLabel"/> (or removes them when null).</summary>
    private Task<(int Changed, int Missed)> RewriteTagsAsync(IReadOnlyList<string> oldLabels, string? newLabel, StaffMember by, CancellationToken cancellationToken)
    {
        var oldKeys = oldLabels.Select(TextKey.Of).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        return actors.RewriteAsync(null, a => TagsChange(a, oldKeys, newLabel), by, cancellationToken);
    }

    internal static TableEntity? KindChange(ActorEntity actor, string from, string to) =>
        actor.Kind == from ? new TableEntity { [nameof(ActorEntity.Kind)] = to } : null;

    internal static TableEntity? SectorsChange(ActorEntity actor, string from, string? to)
    {
        var sectors = ActorEntity.SplitList(actor.Sectors);
        if (!sectors.Contains(from))
        {
            return null;
        }

        var rewritten = sectors.Select(s => s == from ? to : s).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return new TableEntity { [nameof(ActorEntity.Sectors)] = ActorEntity.JoinList(rewritten) ?? "" };
    }

    internal static TableEntity? TagsChange(ActorEntity actor, IReadOnlySet<string> oldKeys, string? newLabel)
    {
        var tags = ActorEntity.SplitList(actor.Tags);
        if (!tags.Any(t => oldKeys.Contains(TextKey.Of(t))))
        {
            return null;
        }

        var rewritten = tags.Select(t => oldKeys.Contains(TextKey.Of(t)) ? newLabel : t).OfType<string>().DistinctBy(TextKey.Of).ToList();
        return new TableEntity
        {
            [nameof(ActorEntity.Tags)] = ActorEntity.JoinList(rewritten) ?? "",
            [nameof(ActorEntity.TagKeys)] = ActorEntity.JoinList(rewritten.Select(TextKey.Of).ToList()) ?? "",
        };
    }

    /// <summary>A label must be new to the vocabulary (no other term's code, label or synonym) and short enough.</summary>
    private static VocabularyOutcome? CheckLabel(VocabularyName name, string? label, Vocabulary current, string? renamedCode)
    {
        var text = label?.Trim();
        var max = VocabularyNames.MaxLabelLength(name);
        if (string.IsNullOrEmpty(text) || TextKey.Of(text).Length == 0)
        {
            return VocabularyOutcome.Refused("libelle", "Écrivez le libellé du terme (des lettres ou des chiffres).");
        }

        if (text.Length > max)
        {
            return VocabularyOutcome.Refused("libelle", $"Le libellé ne doit pas dépasser {max} caractères.");
        }

        if (current.Find(text) is { } other && other.Code != renamedCode)
        {
            return VocabularyOutcome.Refused("libelle", TextKey.Of(other.Label) == TextKey.Of(text)
                ? $"« {other.Label} » existe déjà."
                : $"« {text} » désigne déjà « {other.Label} » (c'est l'une de ses autres écritures).");
        }

        return null;
    }

    private static string ConsoleCount(int count) => count <= 1 ? "1 fiche est" : $"{count.ToString("N0", CultureInfo.GetCultureInfo("fr-FR"))} fiches sont";

    private DateTimeOffset Now() => time.GetUtcNow();
}
