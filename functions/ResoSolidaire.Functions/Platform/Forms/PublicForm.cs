namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>What came of a form's own checks: the submission to keep, or a refusal other than field errors.</summary>
public readonly record struct FormCheck<T>(T? Submission, FormRejection? Refusal = null);

/// <summary>
/// One anonymous form of the website, as <see cref="FormPipeline"/> runs it: the pipeline owns the order
/// (content type, rate limit, bounded read, honeypot, checks, duplicate, accepted budget, store); the form
/// says what its fields are, what it checks, and how it stores and mails an accepted submission.
/// </summary>
/// <typeparam name="TPosted">The body as posted, bound from JSON (unknown properties refused) or from form fields.</typeparam>
/// <typeparam name="TSubmission">A submission that passed the form's checks.</typeparam>
public interface IPublicForm<TPosted, TSubmission>
    where TPosted : class
{
    /// <summary>The form's name: its rate-limit budgets and the thank-you page's <c>formulaire</c>.</summary>
    string Name { get; }

    /// <summary>Whether the form takes <c>multipart/form-data</c> with files.</summary>
    bool TakesFiles => false;

    /// <summary>French labels of the fields, for the error page of a plain HTML form post.</summary>
    IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>The fields of a url-encoded or multipart post (a JSON body is bound by the pipeline).</summary>
    TPosted FromFields(FormBody body);

    /// <summary>The value of the honeypot field (<see cref="Honeypot.Field"/>), which people leave empty.</summary>
    string? HoneypotOf(TPosted posted);

    /// <summary>The answer a filled honeypot gets: one that looks like success. Nothing is stored or mailed.</summary>
    FormResult Decoy();

    /// <summary>The form's checks; field errors go to <paramref name="errors"/>.</summary>
    FormCheck<TSubmission> Check(TPosted posted, FormBody body, FieldErrors errors);

    /// <summary>The answer already given to the same submission within the duplicate window, if any.</summary>
    Task<FormResult?> FindDuplicateAsync(TSubmission submission, CancellationToken cancellationToken) => Task.FromResult<FormResult?>(null);

    /// <summary>Stores an accepted submission, then queues its mails through the outbox.</summary>
    Task<FormResult> StoreAsync(TSubmission submission, CancellationToken cancellationToken);
}
