using System.Globalization;
using Modernizer.Cli;
using Modernizer.Cli.Composition;
using Modernizer.Domain.Roles;
using Modernizer.Pipeline.Harness;
using Spectre.Console;

// Usage: Modernizer.Pipeline.Harness [--delay-ms N] [--fixed-clock] [--trace] [--hang-at STAGE] <modernize arguments...>
// --trace prints "RUN job/stage" as each stage starts, so a test can kill at a chosen point of the work;
// --hang-at makes that stage wait until the run is cancelled (Ctrl+C).
// Every role gets the synthetic stage work; --fixed-clock stamps every decision with one instant so
// two runs' logs can be compared byte for byte.
var delay = 0;
var fixedClock = false;
var trace = false;
string? hangAt = null;
var rest = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--delay-ms":
            delay = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--fixed-clock":
            fixedClock = true;
            break;
        case "--trace":
            trace = true;
            break;
        case "--hang-at":
            hangAt = args[++i];
            break;
        default:
            rest.Add(args[i]);
            break;
    }
}

var registry = new StageWorkRegistry();
foreach (var role in RoleCatalog.All.Where(r => r.Role != RoleId.Supervisor))
{
    registry.Add(role.Role, _ => new SyntheticStage(role, delay, trace ? s => Console.Out.WriteLine("RUN " + s) : null, hangAt));
}

var clock = fixedClock ? new FixedClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) : TimeProvider.System;
var services = new ModernizeServices(registry, null, clock, ModernizeServices.ProcessEnvironment());
return await ModernizeApp.RunAsync([.. rest], services, AnsiConsole.Console);

/// <summary>Wall time frozen at one instant; timers still run on the system clock.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
