using System.Diagnostics;
using Jint.Native;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// <c>setTimeout</c> on a virtual clock. When the script has nothing left to do but wait, the next timer fires at
/// once and the virtual clock jumps to its due time: a test never waits real time for a virtual delay, the script's
/// <c>Date.now()</c> moves by at least the delay (as in Node), and the delay still counts against the budget, which
/// is the real time used plus the virtual time skipped.
/// </summary>
internal sealed class JsTimers
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly List<Timer> _pending = [];
    private int _nextId = 1;
    private long _sequence;

    /// <summary>The most timers pending at once; more is a script bug (or a bomb).</summary>
    public const int MaxPending = 10_000;

    public TimeSpan VirtualSkip { get; private set; }

    public TimeSpan RealElapsed => Stopwatch.GetElapsedTime(_startTimestamp);

    public TimeSpan RunClock => RealElapsed + VirtualSkip;

    public bool HasPending => _pending.Count > 0;

    public int Add(JsValue callback, JsValue[] arguments, TimeSpan delay)
    {
        if (_pending.Count >= MaxPending)
        {
            throw new JsHostFault($"more than {MaxPending} timers are pending; clear timers you no longer need.");
        }

        var id = _nextId++;
        _pending.Add(new Timer(id, VirtualSkip + delay, _sequence++, callback, arguments));
        return id;
    }

    public void Clear(int id) => _pending.RemoveAll(t => t.Id == id);

    /// <summary>The virtual time at which the next timer is due, if any.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            Timer? next = null;
            foreach (var t in _pending)
            {
                if (next is null || t.Due < next.Due || (t.Due == next.Due && t.Sequence < next.Sequence))
                {
                    next = t;
                }
            }

            return next?.Due;
        }
    }

    /// <summary>Removes the next timer, skipping virtual time up to its due time.</summary>
    public (JsValue Callback, JsValue[] Arguments) TakeNext()
    {
        var next = _pending[0];
        foreach (var t in _pending)
        {
            if (t.Due < next.Due || (t.Due == next.Due && t.Sequence < next.Sequence))
            {
                next = t;
            }
        }

        _pending.Remove(next);
        if (next.Due > VirtualSkip)
        {
            VirtualSkip = next.Due;
        }

        return (next.Callback, next.Arguments);
    }

    private sealed record Timer(int Id, TimeSpan Due, long Sequence, JsValue Callback, JsValue[] Arguments);
}
