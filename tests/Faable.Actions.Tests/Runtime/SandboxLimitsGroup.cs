namespace Faable.Actions.Tests.Runtime;

/// <summary>
/// Tests that read the process's heap or time the budget run alone: the memory limit reads the managed heap, which
/// the other tests would grow at the same time.
/// </summary>
[CollectionDefinition(nameof(SandboxLimitsGroup), DisableParallelization = true)]
public sealed class SandboxLimitsGroup;
