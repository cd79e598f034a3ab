import { useEffect, useState, type FormEvent } from 'react';
import { events } from './bindings';
import { greeting } from './greeting';

export default function App() {
  const [message, setMessage] = useState('');
  const [count, setCount] = useState(0);

  // C++ sends `greeted` (declared in main.cpp) after each greeting; the listener goes away
  // with the component.
  useEffect(() => {
    const unlisten = events.listen('greeted', (e) => setCount(e.payload.count));
    return () => {
      void unlisten.then((stop) => stop());
    };
  }, []);

  async function greet(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get('name');
    setMessage(await greeting(String(name ?? '')));
  }

  return (
    <main className="container">
      <h1>Welcome to {{productName}}</h1>
      <p>
        The page is React + TypeScript; the logic is C++ (<code>main.cpp</code>).
      </p>
      <form id="greet-form" className="row" onSubmit={greet}>
        <input id="greet-input" name="name" placeholder="Enter a name..." autoComplete="off" />
        <button type="submit">Greet</button>
      </form>
      <p id="greet-msg">{message}</p>
      <p id="greet-count">{count > 0 ? `Greetings so far: ${count}` : ''}</p>
    </main>
  );
}
