// The examples' applications share one Redis server with the README's default key prefixes, as one application's
// instances would: run the test classes one after the other so one class's dispatcher never takes another's delivery.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(Faable.Docs.Tests.SharedRedis))]
