using ResoSolidaire.Functions.Contact;

namespace ResoSolidaire.Functions.Inbox;

/// <summary>Reads the inbox's list filters from the query string, naming in French the values it cannot use.</summary>
public static class InboxQuery
{
    public static InboxFilter Parse(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        var topic = StaffQuery.Value(query, "topic");
        if (topic is not null && !ContactForm.Topics.ContainsKey(topic))
        {
            errors["topic"] = [$"Sujet inconnu : « {topic} » (valeurs possibles : {string.Join(", ", ContactForm.Topics.Keys)})."];
        }

        DateOnly? Date(string name)
        {
            var text = StaffQuery.Value(query, name);
            var date = LocalDates.Parse(text);
            if (text is not null && date is null)
            {
                errors[name] = ["La date s'écrit AAAA-MM-JJ (par exemple 2026-03-15)."];
            }

            return date;
        }

        var from = Date("from");
        var to = Date("to");
        bool? handled = null;
        if (StaffQuery.Value(query, "handled") is { } handledText)
        {
            handled = YesNo.Parse(handledText);
            if (handled is null)
            {
                errors["handled"] = ["Le filtre handled vaut true (traités) ou false (à traiter)."];
            }
        }

        var search = StaffQuery.Value(query, "q");
        if (search is { Length: > 200 })
        {
            errors["q"] = ["La recherche fait plus de 200 caractères."];
        }

        return new InboxFilter(topic, from, to, handled, search);
    }
}
