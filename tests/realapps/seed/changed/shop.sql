-- The changed pass's shop: customers have one more field (phone) between
-- name and email, their rows come in another order (other ids), and a
-- table whose name comes close to customers sorts before it.
DROP DATABASE IF EXISTS shop;
CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
USE shop;
CREATE TABLE customers (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  phone VARCHAR(20) NOT NULL DEFAULT '',
  email VARCHAR(120) NOT NULL,
  city VARCHAR(60) NOT NULL,
  joined DATE NOT NULL
) ENGINE=InnoDB;
INSERT INTO customers (name, phone, email, city, joined) VALUES
  ('Farah Haddad', '+351 21 555 0106', 'farah@example.com', 'Porto', '2025-08-12'),
  ('Emeka Obi', '+234 1 555 0105', 'emeka@example.com', 'Lagos', '2025-06-30'),
  ('Dana Fischer', '+49 30 555 0104', 'dana@example.com', 'Berlin', '2025-05-09'),
  ('Chen Wei', '+33 4 555 0103', 'chen@example.com', 'Lyon', '2025-03-21'),
  ('Bruno Costa', '+351 22 555 0102', 'bruno@example.com', 'Porto', '2025-02-03'),
  ('Alice Martin', '+33 4 555 0101', 'alice@example.com', 'Lyon', '2025-01-14');
CREATE TABLE customer_notes (
  id INT AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  note VARCHAR(200) NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customers(id)
) ENGINE=InnoDB;
INSERT INTO customer_notes (customer_id, note) VALUES
  (3, 'Prefers email'), (4, 'Asked about gift wrapping');
CREATE TABLE products (
  id INT AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(80) NOT NULL,
  price DECIMAL(8,2) NOT NULL,
  stock INT NOT NULL
) ENGINE=InnoDB;
INSERT INTO products (title, price, stock) VALUES
  ('Oak Cutting Board', 32.00, 8), ('Linen Apron', 18.75, 25),
  ('Green Teapot', 24.00, 12), ('Blue Mug', 9.50, 40);
CREATE TABLE orders (
  id INT AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  product_id INT NOT NULL,
  quantity INT NOT NULL,
  status ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',
  ordered_at DATETIME NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customers(id),
  FOREIGN KEY (product_id) REFERENCES products(id)
) ENGINE=InnoDB;
INSERT INTO orders (customer_id, product_id, quantity, status, ordered_at) VALUES
  (6, 4, 2, 'paid', '2026-03-01 10:12:00'),
  (5, 3, 1, 'shipped', '2026-03-02 16:40:00'),
  (4, 4, 4, 'new', '2026-03-05 09:05:00'),
  (6, 2, 1, 'cancelled', '2026-03-07 11:30:00'),
  (3, 1, 1, 'paid', '2026-03-09 14:00:00'),
  (2, 3, 2, 'new', '2026-03-11 08:45:00'),
  (5, 2, 3, 'shipped', '2026-03-12 19:20:00');
