using System.Reflection;

// The version of the real nanoFramework.Runtime.Events in NuGet package nanoFramework.Runtime.Events 1.11.37. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.11.37.0")]
[assembly: AssemblyTitle("nanoFramework.Runtime.Events (compile-only facade, never deployed)")]
