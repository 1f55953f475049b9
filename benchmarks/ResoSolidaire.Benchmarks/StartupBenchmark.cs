using System.Diagnostics;
using System.Globalization;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Benchmarks;

/// <summary>
/// Seconds from the run command (<c>scripts/run.sh</c>, after a build) to the first 200 of
/// <c>GET /api/health</c>. The whole process group is stopped after each run.
/// </summary>
public static class StartupBenchmark
{
    public static async Task<string> RunAsync(int runs, bool noBuild)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var seconds = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var start = new ProcessStartInfo("setsid", noBuild ? ["bash", RepoPaths.Combine("scripts", "run.sh"), "--no-build"] : ["bash", RepoPaths.Combine("scripts", "run.sh")])
            {
                WorkingDirectory = RepoPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                while (true)
                {
                    try
                    {
                        using var response = await client.GetAsync(new Uri("http://127.0.0.1:7071/api/health")).ConfigureAwait(false);
                        if (response.IsSuccessStatusCode)
                        {
                            break;
                        }
                    }
                    catch (HttpRequestException)
                    {
                    }
                    catch (TaskCanceledException)
                    {
                    }

                    if (clock.Elapsed > TimeSpan.FromMinutes(2) || process.HasExited)
                    {
                        throw new InvalidOperationException("The run command did not serve /api/health.");
                    }

                    await Task.Delay(20).ConfigureAwait(false);
                }

                seconds.Add(clock.Elapsed.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: first 200 after {clock.Elapsed.TotalSeconds:0.00} s"));
            }
            finally
            {
                // run.sh stops Azurite, the sink and the host on SIGTERM; Azurite closes gracefully,
                // which can take several seconds. Whatever lingers after 30 s is killed.
                Signal("-TERM", process.Id);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Signal("-KILL", process.Id);
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }

                await Task.Delay(1000).ConfigureAwait(false);
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"| {(noBuild ? "run.sh --no-build" : "run.sh (incremental build)")} to first 200 | median {LoadGenerator.Median(seconds):0.00} s | min {seconds.Min():0.00} s | max {seconds.Max():0.00} s | runs {runs} |");
    }

    private static void Signal(string signal, int processGroup)
    {
        using var kill = Process.Start("kill", [signal, "-" + processGroup.ToString(CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }
}
