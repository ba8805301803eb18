using System.Collections.Concurrent;

namespace Faable.Webhooks.Tests;

/// <summary>What handlers saw, shared with the test.</summary>
internal sealed class DeliveryLog : IDisposable
{
    private readonly ConcurrentQueue<string> _entries = new();
    private readonly SemaphoreSlim _added = new(0);

    public IReadOnlyCollection<string> Entries => _entries;

    public void Dispose() => _added.Dispose();

    public void Add(string entry)
    {
        _entries.Enqueue(entry);
        _added.Release();
    }

    public async Task WaitForAsync(Func<IReadOnlyCollection<string>, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (!condition(_entries))
        {
            try
            {
                await _added.WaitAsync(TimeSpan.FromMilliseconds(50), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("Timed out; entries: " + string.Join(", ", _entries));
            }
        }
    }
}
