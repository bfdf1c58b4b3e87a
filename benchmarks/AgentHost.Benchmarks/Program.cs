using AgentHost.Benchmarks.Harness;
using BenchmarkDotNet.Running;

// `harness <name>` runs a load harness that reports percentiles; anything else goes to BenchmarkDotNet.
if (args is ["harness", var name, ..])
{
    var work = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "harness");
    switch (name)
    {
        case "policy-latency":
            PolicyLatencyHarness.Run(Console.Out);
            break;
        case "audit-append":
            await AuditAppendHarness.RunAsync(Console.Out, TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5), work);
            break;
        case "pg-audit-append":
            await PostgresAuditAppendHarness.RunAsync(
                Console.Out,
                Environment.GetEnvironmentVariable("AGENTHOST_BENCH_POSTGRES") ?? throw new InvalidOperationException("set AGENTHOST_BENCH_POSTGRES to a PostgreSQL server connection string (Host=...;Username=...;Password=...) whose role may create databases"),
                TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5),
                work);
            break;
        case "pg-runs":
            var postgres = Environment.GetEnvironmentVariable("AGENTHOST_BENCH_POSTGRES") ?? throw new InvalidOperationException("set AGENTHOST_BENCH_POSTGRES to a PostgreSQL server connection string (Host=...;Username=...;Password=...) whose role may create databases");
            var pgRuns = args.Skip(2).Where(a => a != "--paced").Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(1000);
            if (args.Contains("--paced"))
            {
                await PostgresRunsHarness.RunPacedAsync(Console.Out, postgres, pgRuns, work);
            }
            else
            {
                await PostgresRunsHarness.RunAsync(Console.Out, postgres, pgRuns, work);
            }

            break;
        case "runs":
            await EmbeddedRunsHarness.RunInstantAsync(Console.Out, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2000, work);
            break;
        case "paced-runs":
            await EmbeddedRunsHarness.RunPacedAsync(Console.Out, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000, work);
            break;
        case "governance":
            // Each row twice: the outcome awaited (the loop before issue 19) and deferred (now), in the same run.
            foreach (var deferred in new[] { false, true })
            {
                foreach (var concurrency in new[] { 1, 64 })
                {
                    await GovernanceOverheadHarness.RunAsync(Console.Out, concurrency, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50, TimeSpan.Zero, deferred, work);
                    Console.WriteLine();
                }

                // Paced like real agents: a model turn of 200 ms before each call (a real model is slower).
                foreach (var concurrency in new[] { 64, 256 })
                {
                    await GovernanceOverheadHarness.RunAsync(Console.Out, concurrency, 20, TimeSpan.FromMilliseconds(200), deferred, work);
                    Console.WriteLine();
                }
            }

            break;
        case "parked":
            await ParkedRunsHarness.RunAsync(Console.Out, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000, 200, work);
            break;
        case "verify":
            await VerifyHarness.RunAsync(Console.Out, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, work);
            break;
        case "replay":
            await ReplayHarness.RunAsync(Console.Out, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, work);
            break;
        case "content":
            await ContentHarness.RunAsync(Console.Out, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5000, work);
            break;
        case "search":
            await SearchHarness.RunAsync(Console.Out, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, Environment.GetEnvironmentVariable("AGENTHOST_BENCH_POSTGRES"), work);
            break;
        case "overview":
            await OverviewHarness.RunAsync(Console.Out, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, work, Environment.GetEnvironmentVariable("AGENTHOST_BENCH_POSTGRES"));
            break;
        case "triage":
            await TriageThroughputHarness.RunAsync(Console.Out, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200, work);
            break;
        default:
            Console.Error.WriteLine("harnesses: policy-latency, audit-append [seconds], pg-audit-append [seconds], pg-runs [runs] [--paced], runs [runs], paced-runs [runs per row], verify [events], governance [calls per run], parked [runs], triage [messages], replay [calls], content [runs], search [events], overview [events] (search and overview on PostgreSQL too with AGENTHOST_BENCH_POSTGRES; runs, paced-runs and pg-runs attach the profiler command in AGENTHOST_BENCH_PROFILE, with {pid} for the host process and {label} for the row, to their timed part)");
            return 2;
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(AgentHost.Benchmarks.PolicyBenchmarks).Assembly).Run(args);
return 0;
