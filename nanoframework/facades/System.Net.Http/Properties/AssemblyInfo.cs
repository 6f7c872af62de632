using System.Reflection;

// The version of the real System.Net.Http in NuGet package nanoFramework.System.Net.Http 1.5.210. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.5.210.0")]
[assembly: AssemblyTitle("System.Net.Http (compile-only facade, never deployed)")]
