using System.Reflection;

// The version of the real System.Net in NuGet package nanoFramework.System.Net 1.11.60. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.11.60.0")]
[assembly: AssemblyTitle("System.Net (compile-only facade, never deployed)")]
