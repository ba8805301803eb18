using System.Diagnostics;
using System.Globalization;
using Jint;
using Jint.Constraints;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// Checked by the interpreter before every statement of one run. It keeps two limits meaning what Faable's mean:
/// <list type="bullet">
/// <item><see cref="ActionLimits.MaxMemoryBytes"/> bounds what the action <em>holds</em>. Every
/// <see cref="StepBytes"/> the run's thread allocates, the growth of the managed heap since the run began is read;
/// when that reading (which counts garbage) is over the limit, a garbage collection decides, and only live memory
/// fails the action. The interpreter's own allocation counter (<c>LimitMemory</c>, which also refuses a single
/// <c>a + b</c> longer than the limit at once) is reset at each passed check, so it never fails code for the
/// garbage it made.</item>
/// <item>No regular expression may run past the budget: the engine's regex timeout follows the time left, brought up
/// to date at every entry and before every match, and <see cref="JsAllocationGuards"/> re-times older expressions when
/// they are used.</item>
/// </list>
/// The heap is shared by the process, so under concurrent runs one that holds a lot can make another's reading
/// higher: the check errs towards failing, never towards letting an action hold more.
/// </summary>
internal sealed class JsRunConstraint : Constraint
{
    /// <summary>How far a regular expression's timeout may exceed the time left before it is re-timed.</summary>
    public static readonly TimeSpan RegexSlack = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MinRegexTimeout = TimeSpan.FromMilliseconds(1);
    private readonly long _limit;
    private readonly long _startTimestamp;
    private readonly TimeSpan _timeout;
    private readonly long _baselineHeap;
    private Options? _options;
    private MemoryLimitConstraint? _allocations;
    private long _allocatedAtLastCheck;
    private int _threadId;
    private TimeSpan _regexTimeout;

    public JsRunConstraint(ActionLimits limits)
    {
        _limit = limits.MaxMemoryBytes;
        _timeout = limits.Timeout;
        StepBytes = Math.Clamp(_limit / 8, 1L << 20, 8L << 20);
        _startTimestamp = Stopwatch.GetTimestamp();

        // The heap now, without what the last collection found dead: garbage in the baseline would let the action
        // hold that much more once it is collected.
        var info = GC.GetGCMemoryInfo();
        var lastLive = info.Index > 0 ? info.HeapSizeBytes - info.FragmentedBytes : long.MaxValue;
        _baselineHeap = Math.Min(GC.GetTotalMemory(forceFullCollection: false), lastLive);
        _regexTimeout = limits.Timeout;
        SyncThread();
    }

    /// <summary>
    /// The largest single allocation an action may make: half of <see cref="ActionLimits.MaxMemoryBytes"/>, so that
    /// one refused step never takes the process past the limit.
    /// </summary>
    public static long MaxSingleAllocation(ActionLimits limits) => limits.MaxMemoryBytes / 2;

    /// <summary>Bytes the run's thread allocates between two heap readings.</summary>
    public long StepBytes { get; }

    /// <summary>The time left in the budget (never negative).</summary>
    public TimeSpan TimeLeft
    {
        get
        {
            var left = _timeout - Stopwatch.GetElapsedTime(_startTimestamp);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>The timeout a regular expression gets when it is made now: the time left, at least 1 ms.</summary>
    public TimeSpan RegexTimeoutNow
    {
        get
        {
            var left = TimeLeft;
            return left > MinRegexTimeout ? left : MinRegexTimeout;
        }
    }

    /// <summary>Connects the constraint to its engine's options (regex timeout) and allocation counter.</summary>
    public void Attach(Options options) => _options = options;

    /// <summary>Connects the interpreter's allocation counter, once the engine exists.</summary>
    public void Attach(Engine engine) => _allocations = engine.Constraints.Find<MemoryLimitConstraint>();

    public override void Reset()
    {
        // The interpreter resets constraints at every entry, nested ones included. Keep counting on the same thread
        // (a nested entry must not wipe what the run allocated); resync only when the run moved to another thread.
        if (_threadId != Environment.CurrentManagedThreadId)
        {
            SyncThread();
        }

        UpdateRegexTimeout();
    }

    public override void Check()
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        if (allocated - _allocatedAtLastCheck < StepBytes)
        {
            return;
        }

        _allocatedAtLastCheck = allocated;
        var held = GC.GetTotalMemory(forceFullCollection: false) - _baselineHeap;
        if (held > _limit)
        {
            // The reading counts garbage; only what survives a collection is held.
            GC.Collect();
            held = GC.GetTotalMemory(forceFullCollection: false) - _baselineHeap;
            if (held > _limit)
            {
                throw new JsLimitFault(
                    nameof(ActionLimits.MaxMemoryBytes),
                    string.Create(CultureInfo.InvariantCulture, $"the action holds about {held:N0} bytes of live memory; at most {_limit:N0} are allowed (Limits:MaxMemoryBytes)."));
            }
        }

        _allocations?.Reset();
    }

    private void SyncThread()
    {
        _threadId = Environment.CurrentManagedThreadId;
        _allocatedAtLastCheck = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>
    /// Brings the engine's regex timeout to the time left (in steps of <see cref="RegexSlack"/>). Called at every
    /// interpreter entry and before every match (<see cref="JsAllocationGuards"/>), which is where a regular expression
    /// made by the interpreter or its own engine reads it; not at every statement, which would read the clock there.
    /// </summary>
    public void UpdateRegexTimeout()
    {
        if (_options is null)
        {
            return;
        }

        // Moved in steps of RegexSlack, not every statement: the interpreter reuses a compiled expression only for
        // the same timeout, and an expression made inside a loop would otherwise be compiled again every time.
        var now = RegexTimeoutNow;
        if (_regexTimeout - now > RegexSlack)
        {
            _regexTimeout = now;
            _options.Constraints.RegexTimeout = now;
        }
    }
}
