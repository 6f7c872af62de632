using System.Reflection;

[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("WalkieTalkie on-device tests: codec, protocol and badge logic on nanoFramework")]
[assembly: AssemblyVersion("1.0.0.0")]
