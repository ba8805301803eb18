using System.Globalization;
using Jint.Runtime;

namespace Faable.Actions.Internal.Js;

/// <summary><c>Date.now()</c> and <c>new Date()</c> read the host's <see cref="TimeProvider"/> plus the virtual time timers skipped.</summary>
internal sealed class VirtualTimeSystem : DefaultTimeSystem
{
    private readonly TimeProvider _time;
    private readonly JsTimers _timers;

    public VirtualTimeSystem(TimeProvider time, JsTimers timers)
        : base(TimeZoneInfo.Utc, CultureInfo.InvariantCulture)
    {
        _time = time;
        _timers = timers;
    }

    public override DateTimeOffset GetUtcNow() => _time.GetUtcNow() + _timers.VirtualSkip;
}
