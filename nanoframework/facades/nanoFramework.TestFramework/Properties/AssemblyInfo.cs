using System.Reflection;

// The version of the real nanoFramework.TestFramework in NuGet package nanoFramework.TestFramework 3.0.80. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("3.0.80.0")]
[assembly: AssemblyTitle("nanoFramework.TestFramework (compile-only facade, never deployed)")]
