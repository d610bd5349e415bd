using Modernizer.Bench;

IBench[] benches =
[
    new ProfilerBench(),
    new DeltaReplayBench(),
    new ReconcileBench(),
    new ReconcileCliBench(),
    new ReconcileFloorBench(),
    new SampleScaleBench(),
    new Tier1Bench(),
    new SupervisorBench(),
    new SqlParseBench(),
    new CodeAnalysisBench(),
    new CodeCorpusBench(),
    new SpecsBench(),
    new RewriteBench(),
];

if (args.Length == 0 || benches.All(b => b.Name != args[0]))
{
    Console.WriteLine("usage: Modernizer.Bench NAME [options]");
    foreach (var bench in benches)
    {
        Console.WriteLine($"  {bench.Name,-14} {bench.Description}");
    }

    return args.Length == 0 ? 0 : 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await benches.First(b => b.Name == args[0]).RunAsync(args[1..], cancellation.Token);
