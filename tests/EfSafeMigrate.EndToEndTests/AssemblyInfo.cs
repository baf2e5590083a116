using Xunit;

// The machine has two cores and every test drives a build-heavy tool against one PostgreSQL server:
// run the tests one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
