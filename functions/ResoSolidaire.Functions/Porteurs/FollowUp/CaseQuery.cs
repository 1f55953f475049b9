using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Porteurs.FollowUp;

/// <summary>Reads the list filters of the cases from the query string, naming in French the values it cannot use.</summary>
public static class CaseQuery
{
    /// <summary>Reads the filters; <paramref name="sectors"/> is the directory's sector vocabulary (a former sector still filters old cases).</summary>
    public static CaseFilter Parse(IQueryCollection query, Vocabulary sectors, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(sectors);
        ArgumentNullException.ThrowIfNull(errors);
        string? Value(string name) => StaffQuery.Value(query, name);
        var phase = Value("phase");
        if (phase is not null && !CasePhases.IsPhase(phase))
        {
            errors["phase"] = [$"Phase inconnue : « {phase} » (valeurs possibles : {string.Join(", ", CasePhases.Terms.All.Select(t => t.Code))})."];
        }

        var sector = Value("sector");
        if (sector is not null && !sectors.Knows(sector))
        {
            errors["sector"] = [$"Secteur inconnu : « {sector} » (valeurs possibles : {sectors.Codes})."];
        }

        var commune = Value("commune");
        if (commune is not null && CommuneDirectory.Instance.FindByInseeCode(commune) is null)
        {
            errors["commune"] = [$"Code INSEE de commune inconnu : « {commune} »."];
        }

        var from = Date(Value("from"), "from", errors);
        var to = Date(Value("to"), "to", errors);
        var due = Value("due") is { } dueText && (YesNo.Parse(dueText) ?? Invalid(errors, "due", "Le filtre due vaut true ou false."));
        return new CaseFilter(phase, Value("assignee"), sector, commune, from, to, due);
    }

    /// <summary>A date written AAAA-MM-JJ; null when absent, or (with the French error under <paramref name="field"/>) when it is not one.</summary>
    public static DateOnly? Date(string? text, string field, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text is null)
        {
            return null;
        }

        var date = LocalDates.Parse(text);
        if (date is null)
        {
            errors[field] = ["La date s'écrit AAAA-MM-JJ (par exemple 2026-03-15)."];
        }

        return date;
    }

    private static bool Invalid(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return false;
    }
}
