using Xunit;

// Every test class is its own collection, and collections run side by side (xunit.runner.json caps them at
// three threads): each test has its own database, temp folder and copies of the projects, and part of a test's time
// is spent waiting for the tool's processes, the builds and PostgreSQL. Measured: CI's wall time was the same with
// four threads (813 s, 76% of two cores busy) as with three; the suite is bound by CPU, and a fourth thread only made
// each test slower, which makes timing-sensitive tests (kill, signal, lock timeouts) run under more load.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 3)]

// The longest classes start first ([ExpectedSeconds] on them), so that none of them is left running alone at the end.
[assembly: TestCollectionOrderer(
    EfSafeMigrate.EndToEndTests.Infrastructure.LongestFirstOrderer.TypeName,
    EfSafeMigrate.EndToEndTests.Infrastructure.LongestFirstOrderer.AssemblyName)]
