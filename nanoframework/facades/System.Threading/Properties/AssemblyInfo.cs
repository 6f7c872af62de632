using System.Reflection;

// The version of the real System.Threading in NuGet package nanoFramework.System.Threading 1.1.52. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.1.52.0")]
[assembly: AssemblyTitle("System.Threading (compile-only facade, never deployed)")]
