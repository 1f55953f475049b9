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
    public static async Task<string> RunAsync(int runs)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var seconds = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var start = new ProcessStartInfo("setsid", ["bash", RepoPaths.Combine("scripts", "run.sh")])
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
                // run.sh stops Azurite, the sink and the host when it gets SIGTERM.
                using (Process.Start("kill", ["-TERM", "-" + process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                }

                await process.WaitForExitAsync().ConfigureAwait(false);
                await Task.Delay(1000).ConfigureAwait(false);
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"| run command to first 200 | median {LoadGenerator.Median(seconds):0.00} s | min {seconds.Min():0.00} s | max {seconds.Max():0.00} s | runs {runs} |");
    }
}
