using System.Globalization;
using ResoSolidaire.Benchmarks;

// Benchmarks are programs, not timed tests: run them on a quiet machine and keep the figures in docs/benchmarks.md.
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks -- http [rounds] [seconds]
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks -- startup [runs]
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks -- forms [rounds] [seconds] [concurrency]
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks -- cost [audience]   (counts for docs/cost.md)
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks -- console [messages] [cases] [requests]
var mode = args.Length > 0 ? args[0] : "help";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

switch (mode)
{
    case "http":
        Console.WriteLine(await HttpBenchmark.RunAsync(rounds: Arg(1, 3), duration: TimeSpan.FromSeconds(Arg(2, 5))));
        return 0;
    case "startup":
        Console.WriteLine(await StartupBenchmark.RunAsync(runs: Arg(1, 3), noBuild: false));
        Console.WriteLine(await StartupBenchmark.RunAsync(runs: Arg(1, 3), noBuild: true));
        return 0;
    case "forms":
        Console.WriteLine(await FormsBenchmark.RunAsync(rounds: Arg(1, 3), duration: TimeSpan.FromSeconds(Arg(2, 5)), concurrency: Arg(3, 16)));
        return 0;
    case "cost":
        Console.WriteLine(await CostBenchmark.RunAsync(audience: Arg(1, 600)));
        return 0;
    case "console":
        Console.WriteLine(await ConsoleListsBenchmark.RunAsync(messages: Arg(1, 5000), cases: Arg(2, 2000), requests: Arg(3, 30)));
        return 0;
    default:
        Console.Error.WriteLine("usage: ResoSolidaire.Benchmarks http [rounds] [seconds] | startup [runs] | forms [rounds] [seconds] [concurrency] | cost [audience] | console [messages] [cases] [requests]");
        return 2;
}
