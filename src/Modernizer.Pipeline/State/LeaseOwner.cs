using System.Diagnostics;
using System.Globalization;

namespace Modernizer.Pipeline.State;

/// <summary>Who holds a job: a host, a process (id and start time, to tell a reused pid apart) and
/// an instance id. A lease held by a process of this host that is no longer alive is free at
/// once; otherwise a lease is free when it has expired.</summary>
public sealed record LeaseOwner(string Host, int ProcessId, long ProcessStartTicks, string Instance)
{
    public static LeaseOwner ForCurrentProcess()
    {
        using var process = Process.GetCurrentProcess();
        return new LeaseOwner(Environment.MachineName, process.Id, process.StartTime.ToUniversalTime().Ticks, Guid.NewGuid().ToString("N"));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}/{ProcessId}/{ProcessStartTicks}/{Instance}");

    public static LeaseOwner? Parse(string? text)
    {
        var parts = text?.Split('/');
        if (parts is not { Length: 4 }
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks))
        {
            return null;
        }

        return new LeaseOwner(parts[0], pid, ticks, parts[3]);
    }

    /// <summary>True when this owner is a process of this host that has exited.</summary>
    public bool IsDeadLocalProcess()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(ProcessId);

            // A process's start time as another process reads it can differ by a few milliseconds
            // (it is derived from the boot time); a reused pid starts seconds later at the least.
            var drift = Math.Abs(process.StartTime.ToUniversalTime().Ticks - ProcessStartTicks);
            return process.HasExited || drift > TimeSpan.FromSeconds(2).Ticks;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
