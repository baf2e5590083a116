using Xunit;

// Every test class is its own collection, and collections run side by side (xunit.runner.json caps them at
// three threads): each test has its own database, temp folder and copies of the projects, and most of a test's
// time is spent waiting for the tool's processes, the builds and PostgreSQL, so two cores stay busy with three.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 3)]
