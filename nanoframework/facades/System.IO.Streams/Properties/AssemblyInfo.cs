using System.Reflection;

// The version of the real System.IO.Streams in NuGet package nanoFramework.System.IO.Streams 1.1.96. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.1.96.0")]
[assembly: AssemblyTitle("System.IO.Streams (compile-only facade, never deployed)")]
