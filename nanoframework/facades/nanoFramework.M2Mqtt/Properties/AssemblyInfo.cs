using System.Reflection;

// The version of the real nanoFramework.M2Mqtt in NuGet package nanoFramework.M2Mqtt 5.1.220. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("5.1.220.0")]
[assembly: AssemblyTitle("nanoFramework.M2Mqtt (compile-only facade, never deployed)")]
