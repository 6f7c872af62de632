using System.Reflection;

// The version of the real nanoFramework.Runtime.Native in NuGet package nanoFramework.Runtime.Native 1.7.11. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.7.11.0")]
[assembly: AssemblyTitle("nanoFramework.Runtime.Native (compile-only facade, never deployed)")]
