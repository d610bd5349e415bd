using System.Runtime.InteropServices;

namespace Modernizer.Cli.Infrastructure;

/// <summary>Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation of the running command, so the
/// stage in progress stops cleanly and nothing half-done is recorded; a second signal is left to the
/// runtime and ends the process at once (the user insists).</summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _signal;

    public Interruption()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>The signal that cancelled the command, if one did.</summary>
    public PosixSignal? Signal => Volatile.Read(ref _signal) is var s and not 0 ? (PosixSignal)s : null;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0) != 0)
        {
            return; // the second signal: default handling ends the process
        }

        context.Cancel = true;
        _cancel.Cancel();
    }
}
