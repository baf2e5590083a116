using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using EfSafeMigrate.Testing;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Merge;

/// <summary>
/// <c>status --graph</c> on real git branches (<see cref="TwoBranchRepo"/>): the fork before <c>merge</c> and the merge
/// migration after it drawn like <c>git log --graph</c>, from the files when no database can be reached, and with
/// applied / pending per migration and <c>--json</c> nodes and edges when one can.
/// </summary>
public sealed class StatusGraphTests(TwoBranchRepo branches, ITestOutputHelper output) : IClassFixture<TwoBranchRepo>
{
    private string IdA => branches.IdA;

    private string IdB => branches.IdB;

    [Fact]
    public void Status_graph_draws_the_fork_then_the_merge_with_marks_when_the_database_is_reachable()
    {
        using var repo = branches.Repo.Clone(output.WriteLine);
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        Assert.Equal(1, repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB).ExitCode);
        repo.ToolOk("hash"); // keep both sides' lines: the fork
        if (repo.ConflictedFiles().Contains(GitSandbox.Snapshot))
        {
            repo.GitOk("checkout", "--ours", "--", GitSandbox.Snapshot);
        }

        repo.CommitAll("Merge feature-b into feature-a");

        // No database reachable (the sandbox's connection string names a closed port): drawn from the files.
        var fork = repo.Tool("status", "--graph");

        Assert.True(fork.ExitCode == 0, fork.Describe());
        Assert.Contains("could not be read", fork.StdErr);
        Assert.Contains("the graph is drawn from the files", fork.StdErr);
        Assert.Contains("2 heads", fork.StdErr);
        var top = GitSandbox.Lines(fork.StdOut).Take(4).Select(l => l.TrimEnd()).ToList();
        Assert.Equal([$"*    {IdB}", $"| *  {IdA}", "|/", $"*    {branches.Parent}"], top);

        repo.ToolOk("merge");
        var mergeId = repo.MigrationIds[^1];
        using var database = E2eDatabase.Create();
        repo.ToolOk("apply", IdA, "--connection", database.ConnectionString, "--no-backup");

        var drawn = repo.Tool("status", "--graph", "--connection", database.ConnectionString, "--no-build");

        Assert.True(drawn.ExitCode == 0, drawn.Describe());
        var lines = GitSandbox.Lines(drawn.StdOut).Select(l => l.TrimEnd()).ToList();
        Assert.Equal(
            [
                $"*    {mergeId}  (merge of {IdA} and {IdB})  pending",
                "|\\",
                $"| *  {IdB}  pending",
                $"* |  {IdA}  applied",
                "|/",
                $"*    {branches.Parent}  applied",
            ],
            lines.Take(6));
        Assert.Equal($"*    {branches.MainIds[0]}  applied", lines[^1]);
        Assert.Contains($"{branches.MainIds.Count + 3} migration(s), 1 head(s)", drawn.StdErr);

        var json = repo.Tool("status", "--graph", "--json", "--connection", database.ConnectionString, "--no-build");

        Assert.True(json.ExitCode == 0, json.Describe());
        Assert.Null(MachineOutputSchemas.Problems("status-graph", json.StdOut));
        using var document = JsonDocument.Parse(json.StdOut);
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.True(root.GetProperty("databaseRead").GetBoolean());
        Assert.Equal([mergeId], root.GetProperty("heads").EnumerateArray().Select(h => h.GetString()));
        var nodes = root.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal([.. branches.MainIds, IdA, IdB, mergeId], nodes.Keys);
        Assert.Equal("merge", nodes[mergeId].GetProperty("kind").GetString());
        Assert.Equal([IdA, IdB], nodes[mergeId].GetProperty("parents").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("applied", nodes[IdA].GetProperty("state").GetString());
        Assert.Equal("pending", nodes[IdB].GetProperty("state").GetString());
        var edges = root.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString())).ToList();
        Assert.Contains((mergeId, IdA), edges);
        Assert.Contains((mergeId, IdB), edges);
        Assert.Contains((IdA, branches.Parent), edges);
        Assert.Equal(nodes.Count, edges.Count); // an edge per parent: the first migration has none, the merge migration two
    }
}
