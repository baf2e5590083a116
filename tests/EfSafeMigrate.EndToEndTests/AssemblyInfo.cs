using Xunit;

// Every test class is its own collection, and collections run side by side (xunit.runner.json caps them at
// three threads): each test has its own database, temp folder and copies of the projects, and most of a test's
// time is spent waiting for the tool's processes, the builds and PostgreSQL, so two cores stay busy with three.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 3)]

// The longest classes start first ([ExpectedSeconds] on them), so that none of them is left running alone at the end.
[assembly: TestCollectionOrderer(
    EfSafeMigrate.EndToEndTests.Infrastructure.LongestFirstOrderer.TypeName,
    EfSafeMigrate.EndToEndTests.Infrastructure.LongestFirstOrderer.AssemblyName)]
