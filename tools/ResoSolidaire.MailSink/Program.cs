using ResoSolidaire.MailSink;

// dotnet run --project tools/ResoSolidaire.MailSink -- [--port 7072] [--api-key KEY] [--capacity 5000]
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables("MAILSINK_")
    .AddCommandLine(args, new Dictionary<string, string>
    {
        ["--port"] = nameof(MailSinkOptions.Port),
        ["--api-key"] = nameof(MailSinkOptions.ApiKey),
        ["--capacity"] = nameof(MailSinkOptions.Capacity),
    })
    .Build();

MailSinkOptions options;
try
{
    options = configuration.Get<MailSinkOptions>() ?? new MailSinkOptions();
    options.Validate();
}
catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
{
    await Console.Error.WriteLineAsync("Options invalides : --port attend un nombre de 0 à 65535, --capacity un nombre d'au moins 1, --api-key une clé non vide.");
    return 2;
}

MailSinkServer server;
try
{
    server = await MailSinkServer.StartAsync(options, logging => logging
        .AddSimpleConsole(console => console.SingleLine = true)
        // The port-in-use failure is told below in one sentence; the host would log it again with a stack trace.
        .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)
        .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning), CancellationToken.None);
}
catch (MailSinkPortInUseException exception)
{
    await Console.Error.WriteLineAsync($"Le port {exception.Port} est déjà utilisé : arrêtez l'autre programme ou choisissez un autre port avec --port.");
    return 1;
}

await using (server)
{
    Console.WriteLine($"Boîte d'essai SendGrid à l'écoute sur {server.BaseAddress}");
    Console.WriteLine($"  client SendGrid : Host = \"{server.BaseAddress.GetLeftPart(UriPartial.Authority)}\"");
    Console.WriteLine(options.ApiKey is null ? "  clé d'API : toute clé non vide est acceptée" : "  clé d'API : seule la clé donnée est acceptée");
    Console.WriteLine("Ctrl+C pour arrêter.");

    var stopped = new TaskCompletionSource();
    using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
    using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
    await stopped.Task;

    void Stop(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true;
        stopped.TrySetResult();
    }
}

return 0;
