using System.Reflection;
foreach (var t in new[]{ typeof(Microsoft.EntityFrameworkCore.Design.Internal.DbContextOperations), typeof(Microsoft.EntityFrameworkCore.Design.Internal.OperationReporter), typeof(Microsoft.EntityFrameworkCore.Migrations.Internal.Migrator), typeof(Microsoft.EntityFrameworkCore.Design.Internal.MigrationsOperations)})
{
  Console.WriteLine("== " + t.FullName);
  foreach (var c in t.GetConstructors()) Console.WriteLine("ctor(" + string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name)) + ")");
  foreach (var m in t.GetMethods(BindingFlags.Public|BindingFlags.Instance|BindingFlags.DeclaredOnly)) Console.WriteLine("  " + m.ReturnType.Name + " " + m.Name + "(" + string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name)) + ")");
}
