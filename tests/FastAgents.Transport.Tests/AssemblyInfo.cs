// Each test starts real routers and clients on real sockets; two cores are shared with the other test assemblies.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
