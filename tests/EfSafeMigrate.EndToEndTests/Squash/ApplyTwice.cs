using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Squash;

/// <summary>Two <c>apply</c> runs on one database and its state after each.</summary>
public sealed record ApplyTwice(ProcessResult First, DatabaseState AfterFirst, ProcessResult Second, DatabaseState AfterSecond);
