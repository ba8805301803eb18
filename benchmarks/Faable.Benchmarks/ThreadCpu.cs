using System.Runtime.InteropServices;

namespace Faable.Benchmarks;

/// <summary>
/// CPU time of the calling thread in nanoseconds (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): unlike wall time it
/// does not count the time other processes hold the core, which on a shared machine is most of the noise.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static long Nanoseconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var spec) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed; this measurement needs Linux.");
        }

        return (spec.Seconds * 1_000_000_000L) + spec.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec spec);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
