// The baseline of the read-path benchmarks: graphql-yoga with one `hello` field on node:http,
// nothing else. Listens on 127.0.0.1:$PORT.
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  logging: false,
  graphiql: false,
});
createServer(yoga).listen(Number(process.env.PORT), '127.0.0.1');
