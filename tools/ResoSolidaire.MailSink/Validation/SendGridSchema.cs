using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ResoSolidaire.MailSink.Validation;

/// <summary>
/// The request-body schema of <c>POST /v3/mail/send</c>, cut out of SendGrid's published OpenAPI 3.1 document
/// (embedded resource) and compiled once per process.
/// </summary>
internal sealed class SendGridSchema
{
    private const string ResourceName = "ResoSolidaire.MailSink.Schema.tsg_mail_v3.json";
    private static readonly Uri _baseUri = new("urn:resosolidaire:sendgrid:mail-send");
    private static readonly Lazy<SendGridSchema> _shared = new(Load);

    private SendGridSchema(JsonSchema schema, JsonNode document)
    {
        Schema = schema;
        Document = document;
    }

    public static SendGridSchema Instance => _shared.Value;

    public JsonSchema Schema { get; }

    /// <summary>The schema as compiled, to read keywords (such as <c>required</c>) that error output does not detail.</summary>
    public JsonNode Document { get; }

    private static SendGridSchema Load()
    {
        using var stream = typeof(SendGridSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        var openApi = JsonNode.Parse(stream) ?? throw new InvalidOperationException("The SendGrid OpenAPI document is empty.");
        var body = openApi["components"]?["requestBodies"]?["PostMailSend"]?["content"]?["application/json"]?["schema"]?.DeepClone().AsObject()
            ?? throw new InvalidOperationException("The SendGrid OpenAPI document has no PostMailSend request body schema.");

        // OpenAPI refs point into components/schemas; as $defs of the cut-out schema they resolve with no document registry.
        body["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        body["$defs"] = openApi["components"]?["schemas"]?.DeepClone();
        RewriteRefs(body);
        Correct(body);

        var document = JsonNode.Parse(body.ToJsonString())!;
        using var json = JsonDocument.Parse(body.ToJsonString());
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
        return new SendGridSchema(JsonSchema.Build(json.RootElement.Clone(), options, _baseUri), document);
    }

    private static void RewriteRefs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var target)
                    && target.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                {
                    obj["$ref"] = "#/$defs/" + target["#/components/schemas/".Length..];
                }

                foreach (var (_, child) in obj)
                {
                    RewriteRefs(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    RewriteRefs(child);
                }

                break;
        }
    }

    /// <summary>
    /// Where the published document contradicts SendGrid's documented behaviour and the official clients,
    /// the documented behaviour wins.
    /// </summary>
    private static void Correct(JsonObject body)
    {
        var properties = body["properties"]!.AsObject();

        // The document types message-level custom_args as a string, but the API (and every official client)
        // sends an object of string values.
        properties["custom_args"] = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = new JsonObject { ["type"] = "string" },
        };
    }
}
