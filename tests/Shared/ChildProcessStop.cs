using System.Diagnostics;

namespace Faable.Tests.Shared;

/// <summary>Stops a child process a test started: the whole tree, waiting a bounded time, then disposes it.</summary>
internal static class ChildProcessStop
{
    /// <summary>Kills <paramref name="process"/> and its children unless it has exited, waits up to 15 s, disposes it.</summary>
    /// <param name="process">The process.</param>
    /// <returns>A task that completes when the process is gone or the wait is over.</returns>
    public static async ValueTask KillAndDisposeAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        catch (OperationCanceledException)
        {
            // Killed; not waiting longer.
        }

        process.Dispose();
    }
}
