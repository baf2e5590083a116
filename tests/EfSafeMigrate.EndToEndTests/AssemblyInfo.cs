using Xunit;

// Every test class is its own collection, and collections run side by side (xunit.runner.json caps them at
// four threads): each test has its own database, temp folder and copies of the projects, and much of a test's time
// is spent waiting for the tool's processes, the builds and PostgreSQL (with three, CI used two thirds of the two
// cores' time), so two cores stay busy with four.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 4)]

// The longest classes start first ([ExpectedSeconds] on them), so that none of them is left running alone at the end.
[assembly: TestCollectionOrderer(
    EfSafeMigrate.EndToEndTests.Infrastructure.LongestFirstOrderer.TypeName,
    EfSafeMigrate.EndToEndTests.Infrastructure.LongestFirstOrderer.AssemblyName)]
